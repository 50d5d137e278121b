/**
 * Several writers on one store, each with its own connection and its own repositories — what
 * several worker processes are — writing the same shared records at once: no update is lost. An
 * in-process lock cannot pass these (each writer has its own), only the store's atomic update.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArchiveRepo, unpackSlot } from '../../../src/store/archive';
import { FOLD_AT, MERGE_AT } from '../../../src/store/archive-fold';
import { createFeedStateRepo } from '../../../src/store/feed-state';
import { createGuildCatalogRepo } from '../../../src/store/guild-catalog';
import type { KV } from '../../../src/store/kv';
import { createOutboxRepo, newDelivery } from '../../../src/store/outbox';
import { createPostBudgetRepo } from '../../../src/store/post-budget';
import { createSubscriptionsRepo } from '../../../src/store/subscriptions';
import { outboxFiling } from '../../support/outbox-filing';
import { backends, reachable, servicesRequired, type TestStore } from '../../support/stores';
import { matched, newsItem } from './archive-items';

const WRITERS = 3;
const now = new Date('2026-12-07T12:00:00Z');
const chan = (n: number) => ({ kind: 'channel' as const, channelId: `1000000000000000${n}` });

for (const backend of backends) {
  const available = await reachable(backend);
  describe.skipIf(!available && !servicesRequired)(`concurrent writers on ${backend.name}`, () => {
    let store: TestStore;
    let kvs: KV[];
    beforeEach(async () => {
      store = await backend.open();
      kvs = [store.kv];
      for (let i = 1; i < WRITERS; i++) kvs.push(await store.connect());
    });
    afterEach(async () => {
      for (const kv of kvs.slice(1)) await kv.close();
      await store.dispose();
    });

    it("a day's lists get every item at a place of its own, from every writer", async () => {
      const archives = kvs.map((kv) => createArchiveRepo(kv, { retentionMs: 30 * 86_400_000 }));
      // Each writer archives ten feeds' polls of four items at once, all on one day.
      await Promise.all(
        archives.flatMap((archive, w) =>
          Array.from({ length: 10 }, (_, f) =>
            archive.put(
              Array.from({ length: 4 }, (_, i) => ({
                item: newsItem(w * 1000 + f * 10 + i, { feedId: `feed-${w}-${f}` }),
                matches: i === 0 ? [matched('water')] : [],
              })),
            ),
          ),
        ),
      );
      const day = '2026-11-11';
      const archive = createArchiveRepo(store.kv, { retentionMs: 30 * 86_400_000 });
      const total = WRITERS * 10 * 4;
      const [all] = await archive.entries([{ day, index: { kind: 'all' } }]);
      const ords = Array.from(all!, (p) => unpackSlot(p, day).ord).sort((a, b) => a - b);
      expect(ords).toEqual(Array.from({ length: total }, (_, i) => i));
      const items = await archive.load(ords.map((ord) => ({ day, ord, ms: 0 })));
      expect(new Set(items.map((a) => a?.item.key)).size).toBe(total);
      expect(
        await archive.counts([
          { day, index: { kind: 'topic', id: 'water' } },
          { day, index: { kind: 'word', name: 'story' } },
        ]),
      ).toEqual([WRITERS * 10, total]);
      expect(await archive.days('2026-01-01', '2026-12-31')).toEqual([day]);
    });

    it("a day's word lists get every item once and in order while writers merge and fold each other's batches", async () => {
      const archives = kvs.map((kv) => createArchiveRepo(kv, { retentionMs: 30 * 86_400_000 }));
      // Each writer puts its share of enough batches of two items for every step to run at least
      // once (merges of MERGE_AT batches, folds of FOLD_AT groups) while others append.
      const perWriter = Math.ceil((MERGE_AT * (FOLD_AT + 1)) / WRITERS);
      await Promise.all(
        archives.map(async (archive, w) => {
          for (let b = 0; b < perWriter; b++)
            await archive.put(
              [0, 1].map((i) => ({
                item: newsItem(w * 1000 + b * 10 + i, { title: `Story ${i === 0 ? 'water' : ''}` }),
                matches: [],
              })),
            );
        }),
      );
      const day = '2026-11-11';
      const total = WRITERS * perWriter * 2;
      const [story, water] = await archives[0]!.entries([
        { day, index: { kind: 'word', name: 'story' } },
        { day, index: { kind: 'word', name: 'water' } },
      ]);
      expect(Array.from(story!, (p) => unpackSlot(p, day).ord)).toEqual(
        Array.from({ length: total }, (_, i) => i),
      );
      expect(water).toHaveLength(total / 2);
      expect(
        await archives[1]!.counts([
          { day, index: { kind: 'word', name: 'story' } },
          { day, index: { kind: 'word', name: 'water' } },
        ]),
      ).toEqual([total, total / 2]);
    });

    it("the outbox's pages keep every delivery added and drop every one removed", async () => {
      const outboxes = kvs.map(createOutboxRepo);
      // Enough deliveries to fill pages (outbox-pages.ts): pages are opened and emptied at once.
      const deliveries = (w: number) =>
        Array.from({ length: 50 }, (_, i) => newDelivery(chan(w), `item-${i}`, ['t'], now));
      // Every writer adds its deliveries one by one, and removes its odd ones as soon as added.
      await Promise.all(
        outboxes.map(async (outbox, w) => {
          await Promise.all(
            deliveries(w).map(async (d, i) => {
              await outbox.add([d]);
              if (i % 2 === 1) await outbox.remove(d.id);
            }),
          );
        }),
      );
      const expected = kvs.flatMap((_, w) => deliveries(w).filter((_, i) => i % 2 === 0));
      const pending = await createOutboxRepo(store.kv).pending();
      expect(pending.map((d) => d.id).sort()).toEqual(expected.map((d) => d.id).sort());
      expect((await outboxFiling(store.kv)).flat().sort()).toEqual(
        expected.map((d) => d.id).sort(),
      );
      // Then all of them at once, while each writer queues one more: the pages left hold those.
      const last = kvs.map((_, w) => newDelivery(chan(w), 'item-last', ['t'], now));
      await Promise.all([
        ...expected.map((d, i) => outboxes[i % WRITERS]!.remove(d.id)),
        ...last.map((d, w) => outboxes[w]!.add([d])),
      ]);
      expect((await outboxFiling(store.kv)).flat().sort()).toEqual(last.map((d) => d.id).sort());
    });

    it("a channel's hourly budget is handed out once, however many writers take from it", async () => {
      const limits = { perPoll: 20, perChannelPerHour: 25 };
      const budgets = kvs.map((kv) => createPostBudgetRepo(kv, limits));
      const granted = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          budgets[i % budgets.length]!.take(
            new Map([
              ['c1', 2],
              [`own-${i}`, 1],
            ]),
            now,
          ),
        ),
      );
      expect(granted.reduce((sum, g) => sum + (g.get('c1') ?? 0), 0)).toBe(25);
      expect(granted.every((g, i) => g.get(`own-${i}`) === 1)).toBe(true);
      const notices = await Promise.all(budgets.map((b) => b.claimNotice('c1', now)));
      expect(notices.filter(Boolean)).toHaveLength(1);
    });

    it("a guild catalogue keeps every guild's topics and feeds written at once", async () => {
      const catalogs = kvs.map(createGuildCatalogRepo);
      const guilds = ['100000000000000001', '100000000000000002'];
      const topic = (id: string) => ({
        id,
        name: id,
        query: 'water',
        minScore: 2,
        createdBy: 'u',
        updatedAt: now.toISOString(),
      });
      await Promise.all(
        catalogs.flatMap((catalog, w) =>
          guilds.flatMap((guild) =>
            Array.from({ length: 4 }, (_, i) => catalog.putTopic(guild, topic(`t-${w}-${i}`))),
          ),
        ),
      );
      const all = await createGuildCatalogRepo(store.kv).all();
      expect(all.map((g) => g.guildId).sort()).toEqual(guilds);
      for (const g of all) expect(g.topics).toHaveLength(WRITERS * 4);
    });

    it("subscriptions to one topic from many channels, and the guild's index of them, lose none", async () => {
      const repos = kvs.map(createSubscriptionsRepo);
      const guildId = '100000000000000001';
      const sub = (channel: number, topicId: string) => ({
        guildId,
        channelId: `2000000000000000${String(channel).padStart(2, '0')}`,
        topicId,
        mode: 'instant' as const,
        createdAt: now.toISOString(),
      });
      await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          repos[i % repos.length]!.put(sub(i, i % 4 === 0 ? 'rare' : 'common')),
        ),
      );
      // Removing every subscription to `rare` while `common` gains more: the index follows both.
      await Promise.all([
        ...Array.from({ length: 24 }, (_, i) => i)
          .filter((i) => i % 4 === 0)
          .map((i, n) =>
            repos[n % repos.length]!.remove(guildId, sub(i, 'rare').channelId, 'rare'),
          ),
        ...Array.from({ length: 6 }, (_, n) => repos[n % repos.length]!.put(sub(50 + n, 'common'))),
      ]);
      const subs = await createSubscriptionsRepo(store.kv).forGuild(guildId);
      expect(subs.filter((s) => s.topicId === 'common')).toHaveLength(18 + 6);
      expect(subs.filter((s) => s.topicId === 'rare')).toHaveLength(0);
      expect(await store.kv.get(`subs:guild:${guildId}`)).toEqual(['common']);
    });

    it("a feed's shared guids noted by several writers at once are all kept", async () => {
      const states = kvs.map(createFeedStateRepo);
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          states[i % states.length]!.noteSharedGuids('feed-a', [`tag:${i}`], now),
        ),
      );
      const noted = await createFeedStateRepo(store.kv).sharedGuids('feed-a');
      expect(noted?.guids.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `tag:${i}`).sort());
    });
  });
}
