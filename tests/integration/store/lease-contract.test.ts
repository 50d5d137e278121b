/**
 * Leases on every backend: what keeps two instances on one store from both polling and posting.
 * Each backend has its own atomic write (keyv has none), so each is held to the same rules, with
 * claims racing over separate connections as separate processes would.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KV } from '../../../src/store/kv';
import type { LeaseHolder } from '../../../src/store/lease';
import { backends, reachable, servicesRequired, type TestStore } from '../../support/stores';

const holder = (n: number): LeaseHolder => ({
  id: `holder-${n}-${Math.random().toString(36).slice(2)}`,
  host: `host-${n}`,
  pid: 1000 + n,
  since: '2026-12-07T14:00:00.000Z',
});
const MINUTE = 60_000;

/** Claims until `kv` gets the lease (after the current one expires); gives up after 5 s. */
async function claimOnceExpired(kv: KV, name: string, who: LeaseHolder) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    if ((await kv.claimLease(name, who, MINUTE)).held) return;
    if (Date.now() > deadline) throw new Error('the expired lease was never handed over');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const backend of backends) {
  const available = await reachable(backend);
  if (!available && !servicesRequired)
    console.warn(`[lease contract] ${backend.name} is not reachable: its cases are skipped`);

  describe.skipIf(!available && !servicesRequired)(`leases on ${backend.name}`, () => {
    let store: TestStore;
    let other: KV;
    beforeEach(async () => {
      store = await backend.open();
      other = await store.connect();
    });
    afterEach(async () => {
      await other.close();
      await store.dispose();
    });

    it('two instances: a free lease is taken, the second is refused and told who holds it', async () => {
      const a = holder(1);
      expect(await store.kv.claimLease('worker', a, MINUTE)).toEqual({ held: true });
      expect(await other.claimLease('worker', holder(2), MINUTE)).toEqual({
        held: false,
        holder: a,
      });
      // The holder renews it as often as it likes.
      expect(await store.kv.claimLease('worker', a, MINUTE)).toEqual({ held: true });
    });

    it('who holds a lease is read without taking it: nobody on a fresh store, the holder, nobody once it expires or is released', async () => {
      expect(await other.leaseHolder('worker')).toBeUndefined();
      const a = holder(1);
      await store.kv.claimLease('worker', a, MINUTE);
      expect(await other.leaseHolder('worker')).toEqual(a);
      // Reading took nothing: the holder keeps it, another is still refused.
      expect((await other.claimLease('worker', holder(2), MINUTE)).held).toBe(false);
      await store.kv.releaseLease('worker', a.id);
      expect(await other.leaseHolder('worker')).toBeUndefined();
      await store.kv.claimLease('brief', a, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await other.leaseHolder('brief')).toBeUndefined();
    });

    it('two instances claiming at once over separate connections: exactly one wins', async () => {
      const claimants = Array.from({ length: 12 }, (_, i) => holder(i));
      const results = await Promise.all(
        claimants.map((h, i) => (i % 2 ? other : store.kv).claimLease('race', h, MINUTE)),
      );
      const winners = results.filter((r) => r.held);
      expect(winners).toHaveLength(1);
      const winner = claimants[results.findIndex((r) => r.held)];
      for (const r of results) if (!r.held) expect(r.holder).toEqual(winner);
    });

    it('a dead holder: its lease expires and another instance takes it over', async () => {
      const dead = holder(1);
      expect((await store.kv.claimLease('worker', dead, 1)).held).toBe(true);
      await claimOnceExpired(other, 'worker', holder(2));
      // The old holder, back from a pause, finds it lost and cannot renew it.
      expect((await store.kv.claimLease('worker', dead, MINUTE)).held).toBe(false);
    });

    it('a holder known dead is replaced at once; naming anyone else replaces nobody', async () => {
      const dead = holder(1);
      await store.kv.claimLease('worker', dead, MINUTE);
      expect((await other.claimLease('worker', holder(2), MINUTE, 'someone-else')).held).toBe(
        false,
      );
      expect((await other.claimLease('worker', holder(3), MINUTE, dead.id)).held).toBe(true);
    });

    it('a release frees the lease only for its holder', async () => {
      const a = holder(1);
      await store.kv.claimLease('worker', a, MINUTE);
      await other.releaseLease('worker', 'someone-else');
      expect((await other.claimLease('worker', holder(2), MINUTE)).held).toBe(false);
      await store.kv.releaseLease('worker', a.id);
      expect((await other.claimLease('worker', holder(2), MINUTE)).held).toBe(true);
    });

    it('named leases are independent: one per role or shard', async () => {
      expect((await store.kv.claimLease('shard:0/2', holder(1), MINUTE)).held).toBe(true);
      expect((await other.claimLease('shard:1/2', holder(2), MINUTE)).held).toBe(true);
      expect((await other.claimLease('shard:0/2', holder(2), MINUTE)).held).toBe(false);
    });
  });
}
