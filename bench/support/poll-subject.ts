/**
 * A process that runs the real app (createApp, console mode, briefings written nowhere) over a
 * temporary config folder and SQLite store, and polls every feed once per request, reporting the
 * round's wall time and this process's peak RSS. One per fleet size, so each size's memory is its
 * own. Driven by poll-cycle.ts.
 */
import { loadCommands } from '../../main';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createApp, type App } from '../../src/app';
import { parseEnv } from '../../src/config/env';
import { createLogger } from '../../src/log';
import type { GroupOutcome } from '../../src/worker/poll-group';
import { peakRssDuring, serveParent } from './child';

export interface RoundReport {
  ms: number;
  peakBytes: number;
  ok: number;
  notModified: number;
  failed: number;
  fresh: number;
  delivered: number;
  /** The first failure's message, if any feed failed. */
  firstError?: string;
}

let app: App | undefined;
let dir: string | undefined;

async function init(urls: string[], topicsYaml: string): Promise<null> {
  dir = await mkdtemp(join(tmpdir(), 'briefing-bench-poll-'));
  const feeds = urls.map((url, n) => ({ id: `feed-${n}`, url }));
  await writeFile(join(dir, 'feeds.yaml'), stringify({ feeds }));
  await writeFile(join(dir, 'topics.yaml'), topicsYaml);
  app = await createApp({
    configDir: dir,
    // The one console target stands for every channel a real bot posts to: with the flood limits
    // of one channel it would take its hour's posts in the priming round and deliver nothing
    // after, and the rounds would measure no delivery at all.
    env: parseEnv({
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
      CHANNEL_MAX_POSTS_PER_HOUR: '3600',
      FEED_MAX_POSTS_PER_POLL: '1000',
    }),
    logger: createLogger({ level: 'error' }),
    output: { json: false, color: false, write: () => {} },
    loadCommands,
  });
  return null;
}

function summarise(outcomes: GroupOutcome[], ms: number, peakBytes: number): RoundReport {
  const report: RoundReport = {
    ms,
    peakBytes,
    ok: 0,
    notModified: 0,
    failed: 0,
    fresh: 0,
    delivered: 0,
  };
  for (const o of outcomes) {
    if (o.kind === 'ok') {
      report.ok++;
      for (const f of o.feeds) {
        report.fresh += f.fresh;
        report.delivered += f.delivered;
      }
    } else if (o.kind === 'not-modified') report.notModified++;
    else {
      report.failed++;
      report.firstError ??= o.error.message;
    }
  }
  return report;
}

async function round(): Promise<RoundReport> {
  if (!app) throw new Error('init first');
  const worker = app.worker;
  const { result, peakBytes } = await peakRssDuring(async () => {
    const t0 = performance.now();
    const outcomes = await worker.pollOnce();
    return { outcomes, ms: performance.now() - t0 };
  });
  return summarise(result.outcomes, result.ms, peakBytes);
}

serveParent(
  async (message) => {
    switch (message.type) {
      case 'init':
        return init(message.urls as string[], message.topicsYaml as string);
      case 'round':
        return round();
      default:
        throw new Error(`unknown request ${message.type}`);
    }
  },
  async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  },
);
