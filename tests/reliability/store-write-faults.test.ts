/**
 * The store going away at each write of a poll round in turn — the first poll of a feed, and a
 * poll that finds new items — then coming back: every new item is still posted exactly once (by
 * title, with Discord's nonce rule), none of the first-sight items is, and all are archived. A
 * first poll cut short before it marked anything seen simply happens again (new items that came
 * meanwhile are part of that first sight); one that marked its items seen counts as done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeFeed } from '../../src/feeds/normalize';
import { parseFeed } from '../../src/feeds/parse';
import { StoreError } from '../../src/errors';
import { openStore } from '../../src/store/kv';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { faultyKv, nonceSink, workerOn, type FaultyKV } from '../support/reliability/faulty-store';
import { rss, type TestEntry } from '../support/rss';
import { dayItems } from '../support/archive-day';

const entry = (id: string): TestEntry => ({
  title: `Story ${id}`,
  guid: id,
  link: `https://example.org/${id}`,
  pubDate: new Date(Date.now() - 60_000).toUTCString(),
});
const FIRST = ['a1', 'a2'].map(entry);
const NEW = ['b1', 'b2'].map(entry);

let server: FeedServer;
let serial = 0;
beforeAll(async () => (server = await startFeedServer({})));
afterAll(() => server.close());

type Phase = 'first sight' | 'new items';

/**
 * One run: a feed seen for the first time, then gaining two items; the store fails at write `n`
 * of the round named by `phase` (never, for n = 0). Returns the posted titles, the archived ones
 * and how many writes the faulty round made.
 */
async function run(phase: Phase, n: number) {
  const path = `/feed-${++serial}.xml`;
  server.setRoute(path, { body: rss(FIRST) });
  const kv: FaultyKV = faultyKv(await openStore('sqlite://:memory:'));
  const sink = nonceSink();
  const { worker, stores, fetcher } = workerOn(kv, [server.url(path)], sink);
  try {
    const round = async (faulty: boolean) => {
      const before = kv.writes;
      if (faulty && n > 0) kv.failAtWrite(n);
      // A round the store failed says so; the next round picks up where it stopped.
      await worker.pollOnce().catch((err) => {
        if (!(err instanceof StoreError)) throw err;
      });
      kv.heal();
      return kv.writes - before;
    };
    const firstWrites = await round(phase === 'first sight');
    const url = server.url(path);
    const firstItems = normalizeFeed(await parseFeed(rss(FIRST), url), {
      feedId: 'feed-0',
      fetchedAt: new Date(),
      url,
    });
    const firstSightDone = (await stores.seen.classify('feed-0', firstItems)).seenBefore;
    // The feed gains items before the next poll, as it may while the store is away.
    server.setRoute(path, { body: rss([...NEW, ...FIRST]) });
    const newWrites = await round(phase === 'new items');
    await round(false);
    await round(false);
    const keys = [...FIRST, ...NEW].map((e) => e.guid!);
    const archived = (await dayItems(stores.archive, new Date().toISOString().slice(0, 10))).map(
      ([key]) => key,
    );
    const titles = (await stores.archive.get(archived)).flatMap((a) =>
      a && keys.includes(a.item.guid!) ? [a.item.title] : [],
    );
    const writes = phase === 'first sight' ? firstWrites : newWrites;
    return {
      posted: sink.posted,
      sends: sink.attempts,
      archived: titles,
      writes,
      firstSightDone,
      pending: await stores.outbox.pending(),
    };
  } finally {
    await fetcher.close();
    await kv.close();
  }
}

describe('the store failing at every write of a round in turn', () => {
  it.each<Phase>(['first sight', 'new items'])(
    'during the %s round: each new item posted exactly once, nothing lost',
    async (phase) => {
      const clean = await run(phase, 0);
      expect(clean.posted.sort()).toEqual(['Story b1', 'Story b2']);
      // Enough writes for the sweep to mean something (a first sight posts nothing, so it takes
      // nothing from the post budget: 5 writes).
      expect(clean.writes).toBeGreaterThanOrEqual(5);

      const wrong: string[] = [];
      let repeatedFirstSights = 0;
      for (let n = 1; n <= clean.writes; n++) {
        const { posted, sends, archived, pending, firstSightDone } = await run(phase, n);
        if (!firstSightDone) repeatedFirstSights++;
        const expected = firstSightDone ? 'Story b1,Story b2' : '';
        if (posted.sort().join() !== expected)
          wrong.push(`write ${n} failed → posted [${posted.join(', ')}]`);
        // Not even a repeat a nonce would absorb: the process never sends a delivery twice.
        if (sends !== posted.length)
          wrong.push(`write ${n} failed → ${sends} sends for ${posted.length} posts`);
        if (archived.length !== 4)
          wrong.push(`write ${n} failed → archived [${archived.join(', ')}]`);
        if (pending.length > 0)
          wrong.push(`write ${n} failed → ${pending.length} deliveries stuck`);
      }
      expect(wrong).toEqual([]);
      // The sweep really cut the first poll short before and after it marked its items seen.
      if (phase === 'first sight') expect(repeatedFirstSights).toBeGreaterThan(0);
      if (phase === 'first sight') expect(repeatedFirstSights).toBeLessThan(clean.writes);
      else expect(repeatedFirstSights).toBe(0);
    },
  );
});
