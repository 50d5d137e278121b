import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/domain/item';
import { createArchiveRepo } from '../../../src/store/archive';
import { createFeedStateRepo } from '../../../src/store/feed-state';
import { digest } from '../../../src/store/hash';
import type { KV } from '../../../src/store/kv';
import { createOutboxRepo, newDelivery } from '../../../src/store/outbox';
import { createPageImagesRepo } from '../../../src/store/page-images';
import { createPostBudgetRepo } from '../../../src/store/post-budget';
import { createSeenRepo } from '../../../src/store/seen';
import { backends, reachable, servicesRequired, type TestStore } from '../../support/stores';
import { dayItems } from '../../support/archive-day';

function item(n: number, over: Partial<Item> = {}): Item {
  return {
    key: `key-${n}`,
    storyKey: `l:example.org/${n}`,
    feedId: 'feed-a',
    guid: `guid-${n}`,
    link: `https://example.org/${n}`,
    title: `Title ${n}`,
    description: '',
    text: `Text ${n}`,
    categories: [],
    publishedAt: `2026-11-${String(10 + (n % 5)).padStart(2, '0')}T08:00:00.000Z`,
    fetchedAt: '2026-11-20T08:00:00.000Z',
    ...over,
  };
}

const DAY = 86_400_000;

for (const backend of backends) {
  const available = await reachable(backend);
  if (!available && !servicesRequired) {
    console.warn(
      `[store contract] ${backend.name} is not reachable: its cases are skipped (CI sets REQUIRE_SERVICES=1 and fails instead)`,
    );
  }

  describe.skipIf(!available && !servicesRequired)(`store contract on ${backend.name}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await backend.open();
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('reads back what it wrote, and undefined for what it never wrote', async () => {
      await store.kv.set('k1', { a: [1, 'two'] });
      expect(await store.kv.get('k1')).toEqual({ a: [1, 'two'] });
      expect(await store.kv.get('missing')).toBeUndefined();
      expect(await store.kv.getMany(['k1', 'missing'])).toEqual([{ a: [1, 'two'] }, undefined]);
    });

    it('a new item is new once, and an item whose guid changed but link did not is not new again', async () => {
      const seen = createSeenRepo(store.kv, { ttlMs: 30 * DAY, clock: () => new Date() });
      const first = await seen.classify('feed-a', [item(1), item(2)]);
      expect(first.fresh.map((i) => i.key)).toEqual(['key-1', 'key-2']);
      await seen.markSeen('feed-a', first.fresh);

      const churned = item(1, { guid: 'guid-1-rewritten', key: 'key-1b' });
      const redated = item(2, { publishedAt: '2026-11-19T00:00:00.000Z' });
      const again = await seen.classify('feed-a', [churned, redated, item(3)]);
      expect(again.fresh.map((i) => i.key)).toEqual(['key-3']);
      expect(again.renamed.map((i) => i.key)).toEqual(['key-1b']);
    });

    it('seen items are per feed', async () => {
      const seen = createSeenRepo(store.kv, { ttlMs: 30 * DAY, clock: () => new Date() });
      await seen.markSeen('feed-a', [item(1)]);
      expect((await seen.classify('feed-b', [item(1)])).fresh).toHaveLength(1);
    });

    it('two entries of one batch with the same link are one story', async () => {
      const seen = createSeenRepo(store.kv, { ttlMs: 30 * DAY, clock: () => new Date() });
      const { fresh } = await seen.classify('feed-a', [
        item(1),
        item(1, { guid: 'other', key: 'k-other' }),
      ]);
      expect(fresh.map((i) => i.key)).toEqual(['key-1']);
    });

    it('fetch state and priming survive a reopen of the repository', async () => {
      const states = createFeedStateRepo(store.kv);
      expect(await states.fetchState('https://example.org/feed')).toEqual({ failures: 0 });
      await states.saveFetchState('https://example.org/feed', {
        etag: '"v1"',
        failures: 2,
        lastError: 'boom',
      });
      expect(await states.isPrimed('feed-a')).toBe(false);
      await states.markPrimed('feed-a');
      const reopened = createFeedStateRepo(store.kv);
      expect(await reopened.fetchState('https://example.org/feed')).toMatchObject({
        etag: '"v1"',
        failures: 2,
      });
      expect(await reopened.isPrimed('feed-a')).toBe(true);
    });

    it("a feed's shared guids and a channel's hourly posts survive a reopen of their repositories", async () => {
      const at = new Date('2026-11-28T12:10:00Z');
      await createFeedStateRepo(store.kv).noteSharedGuids('feed-a', ['tag:x'], at);
      await createFeedStateRepo(store.kv).noteSharedGuids('feed-a', ['tag:x', 'tag:y'], at);
      expect(await createFeedStateRepo(store.kv).sharedGuids('feed-a')).toEqual({
        guids: ['tag:x', 'tag:y'],
        since: at.toISOString(),
      });
      expect(await createFeedStateRepo(store.kv).sharedGuids('feed-b')).toBeUndefined();

      const limits = { perPoll: 20, perChannelPerHour: 5 };
      const first = await createPostBudgetRepo(store.kv, limits).take(new Map([['c1', 3]]), at);
      const budget = createPostBudgetRepo(store.kv, limits);
      const second = await budget.take(
        new Map([
          ['c1', 3],
          ['c2', 1],
        ]),
        at,
      );
      expect([first.get('c1'), second.get('c1'), second.get('c2')]).toEqual([3, 2, 1]);
      const nextHour = new Date('2026-11-28T13:00:00Z');
      expect((await budget.take(new Map([['c1', 9]]), nextHour)).get('c1')).toBe(5);
      expect([
        await budget.claimNotice('c1', at),
        await createPostBudgetRepo(store.kv, limits).claimNotice('c1', at),
        await budget.claimNotice('c1', nextHour),
      ]).toEqual([true, false, true]);
    });

    it('a poll with nothing to post takes nothing from the budget, and no write lock', async () => {
      let updates = 0;
      const counted: KV = {
        ...store.kv,
        update: (keys, plan) => (updates++, store.kv.update(keys, plan)),
      };
      const budget = createPostBudgetRepo(counted, { perPoll: 20, perChannelPerHour: 5 });
      expect(await budget.take(new Map([['c1', 0]]), new Date())).toEqual(new Map());
      expect(updates).toBe(0);
    });

    it("a feed's state for a poll is whether it is primed and its shared guids, as written", async () => {
      const states = createFeedStateRepo(store.kv);
      expect(await states.ofFeed('feed-a')).toEqual({ primed: false, sharedGuids: undefined });
      await states.markPrimed('feed-a');
      const noted = await states.noteSharedGuids('feed-a', ['tag:x'], new Date());
      expect(await createFeedStateRepo(store.kv).ofFeed('feed-a')).toEqual({
        primed: true,
        sharedGuids: noted,
      });
    });

    it("a page's picture and a page that named none are both remembered, apart for each trust", async () => {
      const pages = createPageImagesRepo(store.kv);
      const link = 'https://example.org/article?a=1&b=:2';
      await pages.record(link, 'trusted', 'https://cdn.example.org/a.jpg');
      await pages.record('https://example.org/none', 'untrusted', undefined);
      expect(
        await createPageImagesRepo(store.kv).getMany([
          { link, trust: 'trusted' },
          { link, trust: 'untrusted' },
          { link: 'https://example.org/none', trust: 'untrusted' },
        ]),
      ).toEqual([{ image: 'https://cdn.example.org/a.jpg' }, undefined, {}]);
    });

    it('archives items into day and topic lists, once each however often they are written', async () => {
      const archive = createArchiveRepo(store.kv, { retentionMs: 180 * DAY });
      const match = {
        topicId: 'topic-x',
        score: 3,
        hits: [{ term: 'UN', field: 'title' as const }],
      };
      await archive.put([
        { item: item(1), matches: [match] },
        { item: item(6), matches: [] },
      ]);
      await archive.put([{ item: item(1), matches: [match] }]);
      const at = Date.parse('2026-11-11T08:00:00.000Z');
      expect(await dayItems(archive, '2026-11-11')).toEqual([
        ['key-1', at],
        ['key-6', at],
      ]);
      expect(await dayItems(archive, '2026-11-11', 'topic-x')).toEqual([['key-1', at]]);
      expect(await dayItems(archive, '2026-11-12')).toEqual([]);
      const [got, missing] = await archive.get(['key-1', 'nope']);
      expect(got?.item.title).toBe('Title 1');
      expect(got?.matches[0]?.topicId).toBe('topic-x');
      expect(missing).toBeUndefined();
    });

    it('concurrent appends to one day lose nothing', async () => {
      const archive = createArchiveRepo(store.kv, { retentionMs: 180 * DAY });
      await Promise.all(
        Array.from({ length: 20 }, (_, n) => archive.put([{ item: item(n * 5), matches: [] }])),
      );
      expect(new Set((await dayItems(archive, '2026-11-10')).map(([k]) => k)).size).toBe(20);
    });

    it('the outbox keeps a delivery until it is removed, and adds each target × item once', async () => {
      const outbox = createOutboxRepo(store.kv);
      const now = new Date('2026-11-20T08:00:00Z');
      const chan = (channelId: string) => ({ kind: 'channel' as const, channelId });
      const d1 = newDelivery(chan('chan-1'), 'key-1', ['topic-x'], now);
      await outbox.add([d1, newDelivery(chan('chan-2'), 'key-1', ['topic-x'], now)]);
      await outbox.add([newDelivery(chan('chan-1'), 'key-1', ['topic-x'], now)]);
      expect((await outbox.pending()).map((d) => d.target)).toEqual([
        chan('chan-1'),
        chan('chan-2'),
      ]);
      await outbox.update({ ...d1, attempts: 1, lastError: '500' });
      expect((await outbox.pending())[0]).toMatchObject({ attempts: 1, lastError: '500' });
      await outbox.remove(d1.id);
      expect((await createOutboxRepo(store.kv).pending()).map((d) => d.target)).toEqual([
        chan('chan-2'),
      ]);
      expect(d1.nonce.length).toBeLessThanOrEqual(25);
    });

    it('deliveries queued by the previous version, with string targets, still read and keep their ids', async () => {
      // Exactly what the previous version wrote: targets as 'console', '<channel>' or 'digest:<channel>'.
      const written = [
        ['console', 'k-console'],
        ['1234567890123456789', 'k-channel'],
        ['digest:1234567890123456789', 'k-digest'],
      ].map(([target, itemKey]) => ({
        // The previous version's id: a digest of the target string and the item key.
        id: digest(`${target}\n${itemKey}`, 24),
        target,
        itemKey,
        topicIds: ['topic-x'],
        nonce: 'n',
        createdAt: '2026-11-20T08:00:00.000Z',
        attempts: 0,
      }));
      await store.kv.set(
        'outbox:index',
        written.map((d) => d.id),
      );
      await store.kv.setMany(written.map((d) => ({ key: `outbox:d:${d.id}`, value: d })));
      const pending = await createOutboxRepo(store.kv).pending();
      expect(pending.map((d) => d.target)).toEqual([
        { kind: 'console' },
        { kind: 'channel', channelId: '1234567890123456789' },
        { kind: 'digest', channelId: '1234567890123456789' },
      ]);
      // Ids come from the string form, so re-queueing the same item for the same target is a no-op.
      expect(pending.map((d) => newDelivery(d.target, d.itemKey, [], new Date()).id)).toEqual(
        written.map((d) => d.id),
      );
    });
  });
}
