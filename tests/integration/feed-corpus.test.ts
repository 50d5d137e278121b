/**
 * Robustness over a corpus of ~2,800 real and synthetic feed documents (kept outside the repo;
 * FEED_CORPUS names its folder, whose README.md describes it). Every file must either be read (0 items is fine) or
 * be refused with a FeedError; nothing may hang or throw anything else. Each file runs in a
 * worker thread with a time limit, so a hang is killed and counted instead of stalling the run.
 */
import { relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { corpusFiles, feedCorpus, warnIfSkipped } from '../support/corpus';
import type { CorpusOutcome } from '../support/corpus-worker';

const LIMIT_MS = 2_000;
const POOL_SIZE = 2;

const env = feedCorpus();
const skipped = warnIfSkipped(env, 'feed corpus test');

type Outcome = CorpusOutcome | { kind: 'hang' };

// Node 20 ignores `--import tsx` in a worker's execArgv, so the worker registers tsx itself
// before importing the TypeScript module.
const BOOT = `
  import('tsx/esm/api')
    .then(({ register }) => { register(); return import(${JSON.stringify(new URL('../support/corpus-worker.ts', import.meta.url).href)}); });
`;

/**
 * One worker thread and the file it is reading. A crash outside any file (between files, or
 * while shutting down) is reported to `onStray` so that it is counted, not lost.
 */
class Reader {
  private current: ((outcome: Outcome) => void) | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly onStray: (message: string) => void,
  ) {
    worker.on('message', (outcome: CorpusOutcome) => this.settle(outcome));
    worker.on('error', (error) =>
      this.settle({ kind: 'crash', message: `worker died: ${error.message}` }),
    );
    worker.on('exit', (code) =>
      this.settle({ kind: 'crash', message: `worker exited with code ${code}` }),
    );
  }

  /** Starts a worker and waits until it has loaded the parser, so load time is not file time. */
  static start(onStray: (message: string) => void): Promise<Reader> {
    const worker = new Worker(BOOT, { eval: true });
    return new Promise((resolve, reject) => {
      worker.once('message', () => resolve(new Reader(worker, onStray)));
      worker.once('error', reject);
    });
  }

  read(file: string): Promise<Outcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle({ kind: 'hang' }), LIMIT_MS);
      this.current = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      this.worker.postMessage({ file });
    });
  }

  async stop(): Promise<void> {
    this.current = undefined;
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private settle(outcome: Outcome): void {
    const current = this.current;
    this.current = undefined;
    if (current) current(outcome);
    else if (outcome.kind === 'crash') this.onStray(outcome.message);
  }
}

interface Tally {
  read: Record<'rss-parser' | 'feedsmith', { files: number; items: number }>;
  errors: number;
  hangs: string[];
  crashes: string[];
  /** Crashes while no file was being read; none are expected either. */
  strays: string[];
}

/** Takes files off the shared queue one at a time; replaces its worker after a hang or crash. */
async function lane(queue: string[], root: string, tally: Tally): Promise<void> {
  const onStray = (message: string) => tally.strays.push(message);
  let reader = await Reader.start(onStray);
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const outcome = await reader.read(file);
    const name = relative(root, file);
    if (outcome.kind === 'read') {
      tally.read[outcome.parser].files++;
      tally.read[outcome.parser].items += outcome.items;
    } else if (outcome.kind === 'error') {
      tally.errors++;
    } else {
      if (outcome.kind === 'hang') tally.hangs.push(name);
      else tally.crashes.push(`${name}: ${outcome.message}`);
      await reader.stop();
      reader = await Reader.start(onStray);
    }
  }
  await reader.stop();
}

function summary(tally: Tally, files: number): string {
  const rows: Array<[string, number, number | string]> = [
    ['read by rss-parser', tally.read['rss-parser'].files, tally.read['rss-parser'].items],
    ['read by feedsmith fallback', tally.read.feedsmith.files, tally.read.feedsmith.items],
    ['clear errors (FeedError)', tally.errors, '-'],
    ['hangs', tally.hangs.length, '-'],
    ['crashes', tally.crashes.length, '-'],
    ['crashes between files', tally.strays.length, '-'],
    ['total', files, tally.read['rss-parser'].items + tally.read.feedsmith.items],
  ];
  const lines = rows.map(
    ([label, n, items]) =>
      `${label.padEnd(28)}${String(n).padStart(6)}${String(items).padStart(8)}`,
  );
  return [`${'path'.padEnd(28)}${'files'.padStart(6)}${'items'.padStart(8)}`, ...lines].join('\n');
}

describe('the feed corpus', () => {
  it.skipIf(skipped)(
    'is read without hangs or crashes: every file yields items or a FeedError',
    async () => {
      const corpus = env.dir;
      if (!env.available || !corpus) throw new Error(`feed corpus required in CI: ${env.missing}`);
      const files = corpusFiles(corpus);
      expect(files.length).toBeGreaterThan(0);
      const tally: Tally = {
        read: { 'rss-parser': { files: 0, items: 0 }, feedsmith: { files: 0, items: 0 } },
        errors: 0,
        hangs: [],
        crashes: [],
        strays: [],
      };
      const queue = [...files];
      await Promise.all(Array.from({ length: POOL_SIZE }, () => lane(queue, corpus, tally)));

      console.log(
        `feed corpus: ${files.length} files under ${corpus}\n${summary(tally, files.length)}`,
      );
      expect(tally.hangs, 'files that hung').toEqual([]);
      expect(tally.crashes, 'files that threw something other than FeedError').toEqual([]);
      expect(tally.strays, 'worker crashes between files').toEqual([]);
      const { 'rss-parser': byRssParser, feedsmith } = tally.read;
      const counted =
        byRssParser.files +
        feedsmith.files +
        tally.errors +
        tally.hangs.length +
        tally.crashes.length;
      expect(counted, 'every file counted once').toBe(files.length);
    },
    180_000,
  );
});
