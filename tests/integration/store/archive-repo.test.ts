import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createArchiveRepo,
  unpackSlot,
  type ArchiveRepo,
  type IndexRef,
} from '../../../src/store/archive';
import { listName, pointerKey, seqKey, slotKey } from '../../../src/store/archive-index';
import { CHUNK } from '../../../src/store/archive-list';
import { FOLD_AT, MERGE_AT } from '../../../src/store/archive-fold';
import {
  mergedKey,
  mergedKeys,
  mergedRowKey,
  PENDING_DAYS_KEY,
  pendingKey,
  postingsKey,
  SHARDS,
  shardOf,
  vocabularyKey,
} from '../../../src/store/archive-postings';
import type { KV } from '../../../src/store/kv';
import {
  backends,
  reachable,
  servicesRequired,
  type TestStore,
  withStoreFixture,
} from '../../support/stores';
import { DAY, matched, newsItem } from './archive-items';
import { dayItems } from '../../support/archive-day';

const RETENTION = 30 * DAY;
const ref = (day: string, index: IndexRef) => ({ day, index });

/** `kv` with `update` replaced (the archive makes its writes through it). */
function withUpdate(
  kv: KV,
  update: (inner: KV, ...args: Parameters<KV['update']>) => Promise<unknown>,
): KV {
  return { ...kv, update: (keys, plan) => update(kv, keys, plan) as never };
}
const slotsOf = async (archive: ArchiveRepo, day: string, index: IndexRef) =>
  Array.from((await archive.entries([ref(day, index)]))[0] ?? [], (p) => unpackSlot(p, day));
const ords = async (archive: ArchiveRepo, day: string, index: IndexRef) =>
  (await slotsOf(archive, day, index)).map((s) => s.ord);

for (const backend of backends) {
  const available = await reachable(backend);
  describe.skipIf(!available && !servicesRequired)(`archive repository on ${backend.name}`, () => {
    let store: TestStore;
    let archive: ArchiveRepo;
    beforeEach(async () => {
      store = await backend.open();
      archive = createArchiveRepo(store.kv, { retentionMs: RETENTION });
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('files items under their day, feed, topics and words, and counts them from the heads', async () => {
      await archive.put([
        {
          item: newsItem(1, {
            title: 'UN talks on water',
            publishedAt: '2026-11-11T09:30:00.000Z',
          }),
          matches: [matched('water')],
        },
        {
          item: newsItem(2, {
            feedId: 'feed-b',
            title: 'Un café à Paris',
            publishedAt: '2026-11-11T07:00:00.000Z',
          }),
          matches: [],
        },
        {
          item: newsItem(3, {
            title: 'Туркменистан и ООН',
            publishedAt: '2026-11-12T01:00:00.000Z',
          }),
          matches: [],
        },
      ]);
      expect(await archive.days('2026-11-01', '2026-11-30')).toEqual(['2026-11-11', '2026-11-12']);
      expect(await archive.days('2026-11-12', '2026-11-12')).toEqual(['2026-11-12']);
      const day = '2026-11-11';
      expect(
        await archive.counts([
          ref(day, { kind: 'all' }),
          ref(day, { kind: 'feed', id: 'feed-b' }),
          ref(day, { kind: 'topic', id: 'water' }),
        ]),
      ).toEqual([2, 1, 1]);
      const all = await slotsOf(archive, day, { kind: 'all' });
      expect(all.map((s) => [s.ord, new Date(s.ms).toISOString()])).toEqual([
        [0, '2026-11-11T09:30:00.000Z'],
        [1, '2026-11-11T07:00:00.000Z'],
      ]);
      // Stemmed words meet their inflections; capitals are also filed exactly.
      expect(await ords(archive, day, { kind: 'word', name: 'talk' })).toEqual([0]);
      expect(await ords(archive, day, { kind: 'word', name: 'un' })).toEqual([0, 1]);
      expect(await ords(archive, day, { kind: 'word', name: '^un' })).toEqual([0]);
      expect(await ords(archive, '2026-11-12', { kind: 'word', name: 'туркменистан' })).toEqual([
        0,
      ]);
      const [first, second] = await archive.load(all);
      expect(first?.item.title).toBe('UN talks on water');
      expect(first?.matches.map((m) => m.topicId)).toEqual(['water']);
      expect(second?.item.feedId).toBe('feed-b');
    });

    it('puts made while a day is being written join one batch: every item filed once, each caller told when its own are done', async () => {
      let writes = 0;
      const counted = withUpdate(
        store.kv,
        (kv, keys, plan) => ((writes += 1), kv.update(keys, plan)),
      );
      const joined = createArchiveRepo(counted, { retentionMs: RETENTION });
      // Eight feeds archived at once, as the worker does; one item also arrives from two of them.
      const feeds = Array.from({ length: 8 }, (_, f) =>
        Array.from({ length: 5 }, (_, i) => ({
          item: newsItem(f * 10 + i, { feedId: `feed-${f}` }),
          matches: i === 0 ? [matched(`t${f}`)] : [],
        })),
      );
      feeds[7]!.push({ item: newsItem(0, { feedId: 'feed-0' }), matches: [matched('late')] });
      await Promise.all(feeds.map((entries) => joined.put(entries)));

      const day = '2026-11-11';
      expect(await archive.counts([ref(day, { kind: 'all' })])).toEqual([40]);
      for (let f = 0; f < 8; f++)
        expect(await archive.counts([ref(day, { kind: 'feed', id: `feed-${f}` })])).toEqual([5]);
      const [first] = await archive.get(['key-0000']);
      expect(first?.matches.map((m) => m.topicId).sort()).toEqual(['late', 't0']);
      expect(await ords(archive, day, { kind: 'topic', id: 'late' })).toHaveLength(1);
      // One update for all eight (after the one that lists the day), not one per feed (as three
      // puts in a row show).
      expect(writes).toBe(2);
      writes = 0;
      for (const entries of feeds.slice(0, 3))
        await joined.put(
          entries.map((e) => ({ ...e, item: { ...e.item, key: `${e.item.key}-again` } })),
        );
      expect(writes).toBe(3);
    });

    it('an item written again keeps its place, and topics it newly matches join their lists', async () => {
      await archive.put([
        { item: newsItem(1), matches: [] },
        { item: newsItem(2), matches: [matched('a')] },
      ]);
      await archive.put([
        { item: newsItem(1), matches: [matched('a')] },
        { item: newsItem(2), matches: [matched('a')] },
      ]);
      await archive.put([
        { item: newsItem(1, { publishedAt: '2026-11-15T00:00:00.000Z' }), matches: [matched('a')] },
      ]);
      expect(await archive.days('2026-01-01', '2026-12-31')).toEqual(['2026-11-11']);
      expect(await archive.counts([ref('2026-11-11', { kind: 'all' })])).toEqual([2]);
      expect(await ords(archive, '2026-11-11', { kind: 'topic', id: 'a' })).toEqual([1, 0]);
      const [one, two, none] = await archive.get(['key-0001', 'key-0002', 'key-9999']);
      expect(one?.matches.map((m) => m.topicId)).toEqual(['a']);
      expect(one?.item.publishedAt).toBe('2026-11-11T08:00:00.000Z');
      expect(two?.item.key).toBe('key-0002');
      expect(none).toBeUndefined();
    });

    it('a day longer than a chunk reads back whole and in order', async () => {
      const n = CHUNK * 2 + 17;
      for (let from = 0; from < n; from += 50) {
        await archive.put(
          Array.from({ length: Math.min(50, n - from) }, (_, i) => ({
            item: newsItem(from + i),
            matches: [],
          })),
        );
      }
      expect(await archive.counts([ref('2026-11-11', { kind: 'all' })])).toEqual([n]);
      expect(await ords(archive, '2026-11-11', { kind: 'all' })).toEqual(
        Array.from({ length: n }, (_, i) => i),
      );
      expect(await ords(archive, '2026-11-11', { kind: 'word', name: 'story' })).toHaveLength(n);
    });

    it('concurrent writes to one day lose nothing and never share a place', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, n) => archive.put([{ item: newsItem(n), matches: [] }])),
      );
      const all = await ords(archive, '2026-11-11', { kind: 'all' });
      expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      const items = await archive.load(all.map((ord) => ({ day: '2026-11-11', ord, ms: 0 })));
      expect(new Set(items.map((a) => a?.item.key)).size).toBe(20);
    });

    it('a write that fails leaves nothing, and the next one writes the item once', async () => {
      const failing = withUpdate(store.kv, (kv, keys, plan) =>
        keys.some((k) => k.startsWith('arch:seq:'))
          ? Promise.reject(new Error('crash'))
          : kv.update(keys, plan),
      );
      await expect(
        createArchiveRepo(failing, { retentionMs: RETENTION }).put([
          { item: newsItem(1), matches: [] },
        ]),
      ).rejects.toThrow('crash');
      expect(await archive.get(['key-0001'])).toEqual([undefined]);
      expect(await archive.counts([ref('2026-11-11', { kind: 'all' })])).toEqual([0]);
      await archive.put([
        { item: newsItem(1), matches: [] },
        { item: newsItem(2), matches: [] },
      ]);
      expect((await dayItems(archive, '2026-11-11')).map(([key]) => key)).toEqual([
        'key-0001',
        'key-0002',
      ]);
    });

    it('a read that finds its pending rows merged away meanwhile reads again and misses nothing', async () => {
      const day = '2026-11-11';
      const word = { kind: 'word', name: 'story' } as const;
      const batch = (b: number) => [{ item: newsItem(b), matches: [] }];
      for (let b = 0; b < MERGE_AT - 1; b++) await archive.put(batch(b));
      // The reader has listed the pending rows; the last batch's put merges them before it reads them.
      let merged = false;
      const reader = createArchiveRepo(
        {
          ...store.kv,
          getMany: async (keys) => {
            if (!merged && keys.includes(postingsKey(day, 0))) {
              merged = true;
              await archive.put(batch(MERGE_AT - 1));
            }
            return store.kv.getMany(keys);
          },
        },
        { retentionMs: RETENTION },
      );
      expect(await ords(reader, day, word)).toEqual(Array.from({ length: MERGE_AT }, (_, i) => i));
      expect(merged).toBe(true);
      expect(await store.kv.get(pendingKey(day))).toBeUndefined();
    });

    it('a pointer without a record (an earlier version interrupted) is written again at a new place', async () => {
      // The earlier version committed pointers before records: a crash between left this.
      await store.kv.set('arch:seq:2026-11-11', 1);
      await store.kv.set('arch:key:key-0001', ['2026-11-11', 0]);
      await archive.put([{ item: newsItem(1), matches: [] }]);
      expect((await archive.get(['key-0001']))[0]?.item.key).toBe('key-0001');
      expect(await ords(archive, '2026-11-11', { kind: 'all' })).toEqual([1]);
    });

    it('word entries read the same before, during and after their batches are merged and folded into the lists', async () => {
      const day = '2026-11-11';
      const word = { kind: 'word', name: 'story' } as const;
      // Enough for FOLD_AT merges (a fold), one merge more, and three batches left pending.
      const batches = MERGE_AT * (FOLD_AT + 1) + 3;
      for (let b = 0; b < batches; b++) {
        await archive.put([
          { item: newsItem(2 * b, { title: `Story ${2 * b} on water` }), matches: [] },
          { item: newsItem(2 * b + 1, { title: `Story ${2 * b + 1}` }), matches: [] },
        ]);
        const n = 2 * (b + 1);
        // Every read merges what is still pending or merged with what was folded.
        expect(await ords(archive, day, word)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(
          await archive.counts([ref(day, word), ref(day, { kind: 'word', name: 'water' })]),
        ).toEqual([n, b + 1]);
      }
      const folded = 2 * MERGE_AT * FOLD_AT;
      // The last three batches are pending; the merge after the fold is one group of its shard.
      expect(await store.kv.get(pendingKey(day))).toEqual([
        folded + 2 * MERGE_AT,
        folded + 2 * MERGE_AT + 2,
        folded + 2 * MERGE_AT + 4,
      ]);
      expect(await store.kv.get(postingsKey(day, 0))).toBeUndefined();
      expect(await store.kv.get(mergedKey(day, shardOf('story')))).toEqual([folded]);
      expect(await store.kv.get(mergedRowKey(day, 0, shardOf('story')))).toBeUndefined();
      expect(await store.kv.get(PENDING_DAYS_KEY)).toEqual([day]);
      expect((await store.kv.get<{ n: number }>(listName(day, word)))?.n).toBe(folded);
      expect(await ords(archive, day, { kind: 'word', name: 'water' })).toEqual(
        Array.from({ length: batches }, (_, b) => 2 * b),
      );

      // The hourly prune folds what a day that has ended left pending, and deletes nothing of it.
      expect(await archive.prune(new Date('2026-11-12T01:00:00.000Z'))).toEqual({
        days: 0,
        items: 0,
      });
      expect(await store.kv.getMany([pendingKey(day), ...mergedKeys(day)])).toEqual(
        [pendingKey(day), ...mergedKeys(day)].map(() => undefined),
      );
      expect(await store.kv.get(postingsKey(day, folded + 2 * MERGE_AT))).toBeUndefined();
      expect(await store.kv.get(mergedRowKey(day, folded, shardOf('story')))).toBeUndefined();
      expect(await store.kv.get(PENDING_DAYS_KEY)).toBeUndefined();
      expect((await store.kv.get<{ n: number }>(listName(day, word)))?.n).toBe(2 * batches);
      expect(await ords(archive, day, word)).toEqual(
        Array.from({ length: 2 * batches }, (_, i) => i),
      );
      expect(await archive.counts([ref(day, word)])).toEqual([2 * batches]);
    });

    it('prune deletes the word lists folds started, though records no longer list their words', async () => {
      const day = '2026-10-01';
      const batches = MERGE_AT * FOLD_AT;
      for (let b = 0; b < batches; b++)
        await archive.put([
          {
            item: newsItem(b, { publishedAt: `${day}T12:00:00.000Z`, title: `Water story ${b}` }),
            matches: [],
          },
        ]);
      const water = listName(day, { kind: 'word', name: 'water' });
      expect((await store.kv.get<{ n: number }>(water))?.n).toBe(batches);
      expect(await store.kv.get(slotKey(day, 0))).not.toHaveProperty('words');
      expect(await store.kv.get(vocabularyKey(day, shardOf('water')))).toContain('water');

      expect(await archive.prune(new Date('2026-11-01T00:00:00.000Z'))).toEqual({
        days: 1,
        items: batches,
      });
      const raw = [
        water,
        listName(day, { kind: 'all' }),
        ...Array.from({ length: SHARDS }, (_, shard) => vocabularyKey(day, shard)),
        ...mergedKeys(day),
        pendingKey(day),
      ];
      expect(await store.kv.getMany(raw)).toEqual(raw.map(() => undefined));
    });

    it('prune deletes the days that left the window, and only those', async () => {
      const days = ['2026-10-01', '2026-10-02', '2026-10-20'];
      await archive.put(
        days.map((d, n) => ({
          item: newsItem(n, { publishedAt: `${d}T12:00:00.000Z`, title: `Water story ${n}` }),
          matches: [matched('water')],
        })),
      );
      // 30 days after the end of Oct 2 is Nov 1: Oct 1 and Oct 2 have left the window, Oct 20 has not.
      expect(await archive.prune(new Date('2026-11-01T00:00:00.000Z'))).toEqual({
        days: 1,
        items: 1,
      });
      expect(await archive.prune(new Date('2026-11-02T00:00:00.000Z'))).toEqual({
        days: 1,
        items: 1,
      });
      expect(await archive.days('2026-01-01', '2026-12-31')).toEqual(['2026-10-20']);
      expect(
        await archive
          .get(['key-0000', 'key-0001', 'key-0002'])
          .then((r) => r.map((a) => a?.item.key)),
      ).toEqual([undefined, undefined, 'key-0002']);
      for (const day of days.slice(0, 2)) {
        const raw = [
          listName(day, { kind: 'all' }),
          listName(day, { kind: 'topic', id: 'water' }),
          listName(day, { kind: 'word', name: 'water' }),
          slotKey(day, 0),
          seqKey(day),
          pendingKey(day),
          postingsKey(day, 0),
          ...mergedKeys(day),
        ];
        expect(await store.kv.getMany(raw)).toEqual(raw.map(() => undefined));
      }
      expect(await store.kv.getMany([pointerKey('key-0000'), pointerKey('key-0001')])).toEqual([
        undefined,
        undefined,
      ]);
      expect(await ords(archive, '2026-10-20', { kind: 'word', name: 'water' })).toEqual([0]);
      expect(await archive.prune(new Date('2026-11-02T00:00:00.000Z'))).toEqual({
        days: 0,
        items: 0,
      });
    });
  });
}

/**
 * Written by the layout before word postings (every word appended to its list by each batch;
 * until December 2026), through `put` with a century's retention: day 2026-11-10 holds
 * key-0001 ("Water talks in Dushanbe", feed-a, topic water) and key-0002 ("UN report on
 * drought", feed-b, topic water); day 2026-11-11 holds key-0003 ("Gas pipeline talks resume").
 */
const LEGACY = join(import.meta.dirname, '../../fixtures/store/archive-before-postings.sqlite');

describe('an archive written by the layout before word postings', () => {
  it('answers its words, takes new batches onto its lists through folds, and is pruned whole', () =>
    withStoreFixture(LEGACY, async (kv, file) => {
      const archive = createArchiveRepo(kv, { retentionMs: 100 * 365 * DAY });
      const talk = { kind: 'word', name: 'talk' } as const;
      expect(await ords(archive, '2026-11-10', talk)).toEqual([0]);
      expect(await ords(archive, '2026-11-10', { kind: 'word', name: '^un' })).toEqual([1]);
      expect(
        await archive.counts([
          ref('2026-11-11', talk),
          ref('2026-11-10', { kind: 'topic', id: 'water' }),
        ]),
      ).toEqual([1, 2]);

      // New batches on an old day: pending, merged, then folded onto the lists the old layout wrote.
      const added = MERGE_AT * FOLD_AT + 1;
      for (let b = 0; b < added; b++)
        await archive.put([
          {
            item: newsItem(100 + b, {
              title: 'Talks go on',
              publishedAt: '2026-11-10T12:00:00.000Z',
            }),
            matches: [],
          },
        ]);
      expect(await ords(archive, '2026-11-10', talk)).toEqual([
        0,
        ...Array.from({ length: added }, (_, i) => i + 2),
      ]);
      expect((await kv.get<{ n: number }>(listName('2026-11-10', talk)))?.n).toBe(added);

      const pruner = createArchiveRepo(kv, { retentionMs: 30 * DAY });
      expect(await pruner.prune(new Date('2027-01-01T00:00:00.000Z'))).toEqual({
        days: 2,
        items: 3 + added,
      });
      const db = new Database(file, { readonly: true });
      const left = db.prepare("SELECT key FROM keyv WHERE key LIKE 'arch:%'").pluck().all();
      db.close();
      expect(left).toEqual(['arch:days']);
    }));
});

/**
 * Written by the layout before merged groups (pending batch rows folded straight into the word
 * lists every 16 batches; until December 2026), through `put` with a century's retention: day
 * 2026-11-10 holds key-0000 … key-0019 ("Talks round N"), one batch each; the first 16 are
 * folded into the word lists, the last four are pending (`arch:wp`, listed in `arch:wpdays`).
 */
const BEFORE_MERGES = join(
  import.meta.dirname,
  '../../fixtures/store/archive-before-merges.sqlite',
);

describe('an archive written by the layout before merged groups', () => {
  it('reads its folded and pending entries, merges its pending batches with new ones, and is pruned whole', () =>
    withStoreFixture(BEFORE_MERGES, async (kv, file) => {
      const day = '2026-11-10';
      const archive = createArchiveRepo(kv, { retentionMs: 100 * 365 * DAY });
      const talk = { kind: 'word', name: 'talk' } as const;
      expect(await kv.get(pendingKey(day))).toEqual([16, 17, 18, 19]);
      expect(await ords(archive, day, talk)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(await archive.counts([ref(day, talk)])).toEqual([20]);

      // Its four pending batches join the first merge; a fold then takes them onto the lists.
      const added = MERGE_AT * FOLD_AT;
      for (let b = 0; b < added; b++) {
        await archive.put([
          {
            item: newsItem(100 + b, { title: 'Talks go on', publishedAt: `${day}T13:00:00.000Z` }),
            matches: [],
          },
        ]);
        expect(await archive.counts([ref(day, talk)])).toEqual([21 + b]);
      }
      expect(await ords(archive, day, talk)).toEqual(
        Array.from({ length: 20 + added }, (_, i) => i),
      );
      expect((await kv.get<{ n: number }>(listName(day, talk)))?.n).toBeGreaterThan(16);

      const pruner = createArchiveRepo(kv, { retentionMs: 30 * DAY });
      expect(await pruner.prune(new Date('2027-01-01T00:00:00.000Z'))).toEqual({
        days: 1,
        items: 20 + added,
      });
      const db = new Database(file, { readonly: true });
      const left = db.prepare("SELECT key FROM keyv WHERE key LIKE 'arch:%'").pluck().all();
      db.close();
      expect(left).toEqual(['arch:days']);
    }));
});
