/**
 * The outbox's pages (outbox-pages.ts) on every backend: deliveries come back in the order they
 * were queued across pages, an emptied page leaves the list, and a store written before the pages
 * (one `outbox:index`) drains.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/domain/delivery';
import type { KV } from '../../../src/store/kv';
import { createOutboxRepo, newDelivery } from '../../../src/store/outbox';
import { LEGACY_INDEX, PAGE_SIZE } from '../../../src/store/outbox-pages';
import { outboxFiling } from '../../support/outbox-filing';
import {
  backends,
  reachable,
  servicesRequired,
  type TestStore,
  withStoreFixture,
} from '../../support/stores';

const now = new Date('2026-12-07T12:00:00Z');
const chan = (n: number) => ({ kind: 'channel' as const, channelId: `2000000000000000${n}` });
/** A poll's worth of deliveries: `count` items, each to channels 1 and 2. */
const poll = (p: number, count: number): Delivery[] =>
  Array.from({ length: count }, (_, i) => [
    newDelivery(chan(1), `p${p}-item-${i}`, ['t'], now),
    newDelivery(chan(2), `p${p}-item-${i}`, ['t'], now),
  ]).flat();
const ids = (ds: Delivery[]) => ds.map((d) => d.id);

for (const backend of backends) {
  const available = await reachable(backend);
  describe.skipIf(!available && !servicesRequired)(`outbox pages on ${backend.name}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await backend.open();
    });
    afterEach(async () => {
      await store.dispose();
    });

    it("an add that opens a page after this process's own add does it in one update", async () => {
      let updates = 0;
      const counted: KV = {
        ...store.kv,
        update: (keys, plan) => (updates++, store.kv.update(keys, plan)),
      };
      const outbox = createOutboxRepo(counted);
      await outbox.add(poll(0, 30)); // 60 of the tail page's 64
      updates = 0;
      await outbox.add(poll(1, 5)); // 10 more: fills it and opens the next page
      expect(updates).toBe(1);
      expect((await outboxFiling(store.kv)).map((p) => p.length)).toEqual([PAGE_SIZE, 6]);
    });

    it('deliveries come back in the order they were queued, across pages and removals', async () => {
      const outbox = createOutboxRepo(store.kv);
      const polls = [poll(0, 10), poll(1, 40), poll(2, 1), poll(3, 30)];
      const queued: Delivery[] = [];
      for (const [p, batch] of polls.entries()) {
        await outbox.add(batch);
        queued.push(...batch);
        // The drain sends some as it goes: every third delivery queued so far.
        if (p === 1)
          for (const d of queued.filter((_, i) => i % 3 === 0)) await outbox.remove(d.id);
      }
      const removed = new Set(ids(queued.slice(0, 20 + 80).filter((_, i) => i % 3 === 0)));
      const expected = ids(queued).filter((id) => !removed.has(id));
      expect(ids(await outbox.pending())).toEqual(expected);
      const pages = await outboxFiling(store.kv);
      expect(pages.flat()).toEqual(expected);
      expect(pages.length).toBeGreaterThan(2);
      expect(pages.every((p) => p.length <= PAGE_SIZE)).toBe(true);
    });

    it('a page emptied leaves the list, and an outbox emptied leaves no page behind', async () => {
      const outbox = createOutboxRepo(store.kv);
      const first = poll(0, PAGE_SIZE / 2); // exactly one page
      const second = poll(1, 5);
      await outbox.add(first);
      await outbox.add(second);
      for (const d of first) await outbox.remove(d.id);
      expect(await outboxFiling(store.kv)).toEqual([ids(second)]);
      for (const d of second) await outbox.remove(d.id);
      expect(await outboxFiling(store.kv)).toEqual([]);
      expect(await outbox.pending()).toEqual([]);
      // The emptied tail page takes the next poll again.
      const third = poll(2, 2);
      await outbox.add(third);
      expect(await outboxFiling(store.kv)).toEqual([ids(third)]);
    });

    it('a delivery kept by an update stays on its page, and a removed one is not brought back', async () => {
      const outbox = createOutboxRepo(store.kv);
      const [a, b] = poll(0, 1) as [Delivery, Delivery];
      await outbox.add([a, b]);
      await outbox.update({ ...a, attempts: 1, lastError: '503' });
      await outbox.remove(b.id);
      await outbox.update({ ...b, attempts: 1 });
      expect(await outbox.pending()).toEqual([{ ...a, attempts: 1, lastError: '503' }]);
      expect(await outboxFiling(store.kv)).toEqual([[a.id]]);
      await outbox.remove(b.id); // removing twice is harmless
      expect(await outboxFiling(store.kv)).toEqual([[a.id]]);
    });

    it('deliveries in the index an earlier version wrote come first, and the index goes once drained', async () => {
      const outbox = createOutboxRepo(store.kv);
      const [old, lost, again] = poll(0, 2);
      const written = [old!, again!];
      // What the version before the pages wrote: the index, then each record; `lost` was named in
      // the index by a version older still and its record never written (a crash in between).
      await store.kv.set(LEGACY_INDEX, [old!.id, lost!.id, again!.id]);
      await store.kv.setMany(written.map((d) => ({ key: `outbox:d:${d.id}`, value: d })));
      const fresh = poll(1, 1);
      await outbox.add([lost!, ...fresh, old!]); // `old` is pending: left as it is
      expect(ids(await outbox.pending())).toEqual([old!.id, again!.id, lost!.id, ...ids(fresh)]);
      for (const d of [old!, again!]) await outbox.remove(d.id);
      expect(ids(await outbox.pending())).toEqual([lost!.id, ...ids(fresh)]);
      // The name `lost` left in the index is taken out when its delivery is sent.
      await outbox.remove(lost!.id);
      expect(await store.kv.get(LEGACY_INDEX)).toBeUndefined();
      expect(ids(await outbox.pending())).toEqual(ids(fresh));
    });
  });
}

/**
 * Written through the outbox of the version before the pages (one `outbox:index` of every pending
 * id; until December 2026): two adds at 2026-12-07T08:00Z — item-1 to channels
 * 100000000000000001 and …002 and item-2 to the console, then item-3 to channel …001 and to
 * …002's digest — and the first delivery updated after a failure (attempts 2, lastError '503',
 * notBefore 09:00Z).
 */
const LEGACY = join(import.meta.dirname, '../../fixtures/store/outbox-index-before-pages.sqlite');

describe('an outbox written by the version before the pages', () => {
  it('drains in the order it was queued, before what is queued now, and leaves no index', () =>
    withStoreFixture(LEGACY, async (kv) => {
      const outbox = createOutboxRepo(kv);
      const at = new Date('2026-12-07T08:00:00.000Z');
      const c1 = { kind: 'channel' as const, channelId: '100000000000000001' };
      const c2 = { kind: 'channel' as const, channelId: '100000000000000002' };
      const before = [
        newDelivery(c1, 'item-1', ['water'], at),
        newDelivery(c2, 'item-1', ['water'], at),
        newDelivery({ kind: 'console' }, 'item-2', [], at),
        newDelivery(c1, 'item-3', ['gas'], at),
        newDelivery({ kind: 'digest', channelId: '100000000000000002' }, 'item-3', ['gas'], at),
      ];
      const pending = await outbox.pending();
      expect(pending).toEqual([
        { ...before[0], attempts: 2, lastError: '503', notBefore: '2026-12-07T09:00:00.000Z' },
        ...before.slice(1),
      ]);
      // Queued again by a poll (the same target and item): still pending once, where it was.
      const later = newDelivery(c1, 'item-4', ['water'], now);
      await outbox.add([before[3]!, later]);
      expect(ids(await outbox.pending())).toEqual([...ids(before), later.id]);
      for (const d of pending) await outbox.remove(d.id);
      expect(await kv.get(LEGACY_INDEX)).toBeUndefined();
      expect(ids(await outbox.pending())).toEqual([later.id]);
      expect(await outboxFiling(kv)).toEqual([[later.id]]);
    }));
});
