/**
 * `KV.update`, the store's atomic read-modify-write, on every backend: it speaks keyv's value
 * format both ways, and updates racing over separate connections — as separate processes would
 * race — lose nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KV } from '../../../src/store/kv';
import { backends, reachable, servicesRequired, type TestStore } from '../../support/stores';

/** Adds 1 to a counter, in one update. */
const increment = (kv: KV, key: string) =>
  kv.update([key], ([n]) => {
    const next = ((n as number | undefined) ?? 0) + 1;
    return { writes: [{ key, value: next }], result: next };
  });

for (const backend of backends) {
  const available = await reachable(backend);
  describe.skipIf(!available && !servicesRequired)(`KV.update on ${backend.name}`, () => {
    let store: TestStore;
    let others: KV[];
    beforeEach(async () => {
      store = await backend.open();
      others = await Promise.all([store.connect(), store.connect()]);
    });
    afterEach(async () => {
      for (const o of others) await o.close();
      await store.dispose();
    });

    it("reads what keyv wrote and writes what keyv reads: values, ':' strings, TTLs, deletes, a key's last write", async () => {
      await store.kv.set('a', { n: 1 });
      await store.kv.set('colon', ':text');
      await store.kv.set('gone', 'soon', 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const seen = await store.kv.update(['a', 'colon', 'gone', 'never'], (values) => ({
        writes: [
          { key: 'b', value: 'first, then replaced' },
          { key: 'a', value: undefined },
          { key: 'b', value: [':x', 2], ttlMs: 60_000 },
          { key: 'short', value: 1, ttlMs: 1 },
        ],
        result: values,
      }));
      expect(seen).toEqual([{ n: 1 }, ':text', undefined, undefined]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await others[0]!.getMany(['a', 'b', 'short'])).toEqual([
        undefined,
        [':x', 2],
        undefined,
      ]);
    });

    it('a plan that writes nothing changes nothing, and its result is returned', async () => {
      await store.kv.set('k', 1);
      expect(await store.kv.update(['k'], ([v]) => ({ writes: [], result: v }))).toBe(1);
      expect(await store.kv.get('k')).toBe(1);
    });

    it('increments racing over three connections lose none', async () => {
      const kvs = [store.kv, ...others];
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => increment(kvs[i % kvs.length]!, 'counter')),
      );
      expect(await store.kv.get('counter')).toBe(60);
    });

    it('an update over several keys commits all its writes or, on a conflict, reruns on fresh values', async () => {
      // Each update moves one unit from `from` to `to`: the total stays 100 only if no update
      // ever read one key's new value with the other's old one.
      await store.kv.setMany([
        { key: 'from', value: 100 },
        { key: 'to', value: 0 },
      ]);
      const kvs = [store.kv, ...others];
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          kvs[i % kvs.length]!.update(['from', 'to'], ([from, to]) => ({
            writes: [
              { key: 'from', value: (from as number) - 1 },
              { key: 'to', value: (to as number) + 1 },
            ],
            result: undefined,
          })),
        ),
      );
      expect(await store.kv.getMany(['from', 'to'])).toEqual([70, 30]);
    });
  });
}
