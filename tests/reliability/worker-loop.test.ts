/**
 * The long-running loop under overlap: a feed that finishes while a drain is sending another
 * feed's briefings must get a drain of its own right after, not wait for the next tick (5 s in
 * production; an hour here) — and stopping the loop (SIGTERM) waits for that drain too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher } from '../../src/feeds/fetch';
import { memoryLogger } from '../../src/log';
import { createArchiveRepo } from '../../src/store/archive';
import { createFeedStateRepo } from '../../src/store/feed-state';
import { openStore, type KV } from '../../src/store/kv';
import { createOutboxRepo } from '../../src/store/outbox';
import { createPostBudgetRepo, DEFAULT_FLOOD_LIMITS } from '../../src/store/post-budget';
import { createSeenRepo } from '../../src/store/seen';
import type { GroupOutcome } from '../../src/worker/poll-group';
import type { FeedStores } from '../../src/worker/process-feed';
import { consoleRouter } from '../../src/delivery/console-router';
import { createWorker } from '../../src/worker/worker';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { rss } from '../support/rss';

const DAY = 86_400_000;
const item = (id: string) => ({
  title: `Story ${id}`,
  guid: id,
  link: `https://example.org/${id}`,
});

let kv: KV | undefined;
let server: FeedServer | undefined;
let fetcher: Fetcher | undefined;
afterEach(async () => {
  await fetcher?.close();
  await kv?.close();
  await server?.close();
});

function deferred() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('the worker loop', () => {
  it("a feed that finishes during another feed's drain is delivered by a follow-up drain, not the next tick", async () => {
    server = await startFeedServer({
      '/a.xml': { body: rss([item('a0')]) },
      '/b.xml': { body: rss([item('b0')]) },
    });
    kv = await openStore('sqlite://:memory:');
    fetcher = createFetcher();
    const stores: FeedStores = {
      seen: createSeenRepo(kv, { ttlMs: DAY, clock: () => new Date() }),
      archive: createArchiveRepo(kv, { retentionMs: DAY }),
      outbox: createOutboxRepo(kv),
      feedState: createFeedStateRepo(kv),
      budget: createPostBudgetRepo(kv, DEFAULT_FLOOD_LIMITS),
    };
    // The drain records what it sends; the first drain that finds work waits at `gate`.
    const sent: string[] = [];
    const gate = deferred();
    const gated = deferred();
    let bPolls = 0;
    const bDone = deferred();
    let at = Date.now();
    const worker = createWorker({
      feeds: () =>
        ['a', 'b'].map((id) => ({
          id,
          url: server!.url(`/${id}.xml`),
          interval: 600_000,
          backfill: 0,
          trust: 'trusted' as const,
        })),
      match: () => ({ matches: [], tokens: [] }),
      route: consoleRouter(() => false),
      stores,
      fetcher,
      async drain() {
        const pending = await stores.outbox.pending();
        if (pending.length > 0 && sent.length === 0) {
          gated.open();
          await gate.opened;
        }
        for (const d of pending) {
          sent.push(d.itemKey);
          await stores.outbox.remove(d.id);
        }
        return { sent: pending.length, retried: 0, paused: 0, dropped: 0, waiting: 0 };
      },
      logger: memoryLogger(),
      clock: () => new Date(at),
      deliverWindowMs: DAY,
      tickMs: 3_600_000,
      onOutcome: (outcome: GroupOutcome) => {
        if (outcome.url.endsWith('/b.xml') && ++bPolls === 2) bDone.open();
      },
    });
    await worker.pollOnce(); // first sight: archived, nothing delivered

    // B answers only once A's briefing is being sent.
    const releaseB = deferred();
    server.setRoute('/a.xml', { body: rss([item('a1'), item('a0')]) });
    server.setRoute('/b.xml', async (_req, res) => {
      await releaseB.opened;
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(rss([item('b1'), item('b0')]));
    });
    at += 600_001;
    worker.start();
    await server.waitForRequests('/b.xml', 2);
    await gated.opened; // A's briefing is being sent…
    releaseB.open();
    await bDone.opened; // …while B finishes and asks for a drain
    gate.open();
    // Stopping now (SIGTERM) waits for the follow-up drain too; no further tick comes in this test.
    await worker.stop();
    expect(sent).toHaveLength(2);
    expect(await stores.outbox.pending()).toEqual([]);
  });
});
