import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fetcher, FetchResult } from '../../../src/feeds/fetch';
import { memoryLogger } from '../../../src/log';
import { createArchiveRepo } from '../../../src/store/archive';
import { createFeedStateRepo } from '../../../src/store/feed-state';
import { openStore, type KV } from '../../../src/store/kv';
import { createOutboxRepo } from '../../../src/store/outbox';
import { createPostBudgetRepo, DEFAULT_FLOOD_LIMITS } from '../../../src/store/post-budget';
import { createSeenRepo } from '../../../src/store/seen';
import { consoleRouter } from '../../../src/delivery/console-router';
import { createWorker } from '../../../src/worker/worker';
import { entries, rss } from '../../support/rss';

const DAY = 86_400_000;

/** A fetcher that holds every fetch until released, and records how many were open at once. */
function gatedFetcher() {
  let open = 0;
  let maxOpen = 0;
  const waiting: Array<() => void> = [];
  let arrived: () => void = () => {};
  const fetcher: Fetcher = {
    async fetch(req): Promise<FetchResult> {
      open++;
      maxOpen = Math.max(maxOpen, open);
      arrived();
      await new Promise<void>((r) => waiting.push(r));
      open--;
      return {
        kind: 'ok',
        url: req.url,
        finalUrl: req.url,
        body: rss(entries(2, req.url.slice(-2))),
        bytes: 0,
      };
    },
    close: async () => {},
  };
  return {
    fetcher,
    maxOpen: () => maxOpen,
    /** Resolves once `n` fetches are waiting, then lets them all go. */
    async releaseWhen(n: number) {
      while (waiting.length < n) await new Promise<void>((r) => (arrived = r));
      for (const go of waiting.splice(0)) go();
    },
  };
}

describe('the worker loop', () => {
  let dir: string;
  let kv: KV;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'briefing-worker-'));
    kv = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  });
  afterEach(async () => {
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  });

  function worker(
    fetcher: Fetcher,
    extra: {
      pollConcurrency?: number;
      prune?: (now: Date) => Promise<{ days: number; items: number }>;
    },
  ) {
    const feeds = Array.from({ length: 6 }, (_, i) => ({
      id: `f${i}`,
      url: `https://example.org/feed-${i}0`,
      interval: 600_000,
      backfill: 0,
      trust: 'trusted' as const,
    }));
    return createWorker({
      feeds: () => feeds,
      match: () => ({ matches: [], tokens: [] }),
      route: consoleRouter(() => false),
      stores: {
        seen: createSeenRepo(kv, { ttlMs: 30 * DAY, clock: () => new Date() }),
        archive: createArchiveRepo(kv, { retentionMs: 30 * DAY }),
        outbox: createOutboxRepo(kv),
        feedState: createFeedStateRepo(kv),
        budget: createPostBudgetRepo(kv, DEFAULT_FLOOD_LIMITS),
      },
      fetcher,
      drain: async () => ({ sent: 0, retried: 0, paused: 0, dropped: 0, waiting: 0 }),
      logger: memoryLogger(),
      deliverWindowMs: 29 * DAY,
      ...extra,
    });
  }

  it('processes at most pollConcurrency feeds at once, however many are due', async () => {
    const gate = gatedFetcher();
    const round = worker(gate.fetcher, { pollConcurrency: 2 }).pollOnce();
    await gate.releaseWhen(2);
    await gate.releaseWhen(2);
    await gate.releaseWhen(2);
    const outcomes = await round;
    expect(outcomes.map((o) => o.kind)).toEqual(Array(6).fill('ok'));
    expect(gate.maxOpen()).toBe(2);
  });

  it('prunes expired archive days on its first tick', async () => {
    const gate = gatedFetcher();
    const calls: Date[] = [];
    let pruned!: () => void;
    const prunedOnce = new Promise<void>((r) => (pruned = r));
    const w = worker(gate.fetcher, {
      pollConcurrency: 6,
      prune: async (now) => {
        calls.push(now);
        pruned();
        return { days: 0, items: 0 };
      },
    });
    w.start();
    await gate.releaseWhen(6);
    await prunedOnce;
    await w.stop();
    expect(calls).toHaveLength(1);
  });
});
