/**
 * Several writers on one store, each with its own connection and its own repositories — what
 * several worker processes are — writing the same shared records at once: no update is lost. An
 * in-process lock cannot pass these (each writer has its own), only the store's atomic update.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KV } from '../../../src/store/kv';
import { createOutboxRepo, newDelivery } from '../../../src/store/outbox';
import { backends, reachable, servicesRequired, type TestStore } from '../../support/stores';

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

    it('the outbox index keeps every delivery added and drops every one removed', async () => {
      const outboxes = kvs.map(createOutboxRepo);
      const deliveries = (w: number) =>
        Array.from({ length: 12 }, (_, i) => newDelivery(chan(w), `item-${i}`, ['t'], now));
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
      expect(await store.kv.get<string[]>('outbox:index')).toHaveLength(expected.length);
    });
  });
}
