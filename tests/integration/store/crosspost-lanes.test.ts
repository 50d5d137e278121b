import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCrosspostLanesRepo } from '../../../src/store/crosspost-lanes';
import { backends, reachable, servicesRequired, type TestStore } from '../../support/stores';

const A = '310000000000000012';
const B = '310000000000000013';
const T = Date.parse('2026-03-02T08:00:00Z');
const HOUR = 3_600_000;

for (const backend of backends) {
  const available = await reachable(backend);
  describe.skipIf(!available && !servicesRequired)(`crosspost lanes on ${backend.name}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await backend.open();
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('a lane written by one connection is read by another, as after a restart', async () => {
      const lanes = createCrosspostLanesRepo(store.kv);
      await lanes.edit(A, (l) => ({ ...l, waiting: ['m1', 'm2'], sent: [T - 60_000] }), T);
      const other = await store.connect();
      try {
        const again = createCrosspostLanesRepo(other);
        expect(await again.channels()).toEqual([A]);
        expect(await again.get(A)).toEqual({ waiting: ['m1', 'm2'], sent: [T - 60_000] });
      } finally {
        if (other !== store.kv) await other.close();
      }
    });

    it('edits of one lane made at once all land', async () => {
      const lanes = createCrosspostLanesRepo(store.kv);
      await Promise.all(
        ['m1', 'm2', 'm3', 'm4'].map((id) =>
          lanes.edit(A, (l) => ({ ...l, waiting: [...l.waiting, id] }), T),
        ),
      );
      expect((await lanes.get(A)).waiting).toEqual(['m1', 'm2', 'm3', 'm4']);
    });

    it('a lane with nothing waiting keeps its hour, then leaves the store and the index', async () => {
      const lanes = createCrosspostLanesRepo(store.kv);
      await lanes.edit(A, (l) => ({ ...l, waiting: ['m1'] }), T);
      await lanes.edit(B, (l) => ({ ...l, waiting: ['m9'] }), T);
      await lanes.edit(A, () => ({ waiting: [], sent: [T] }), T);
      expect(await lanes.channels()).toEqual([A, B]);
      expect(await lanes.edit(A, (l) => l, T + HOUR)).toEqual({ waiting: [], sent: [] });
      expect(await lanes.channels()).toEqual([B]);
      expect(await lanes.get(A)).toEqual({ waiting: [], sent: [] });
    });

    it('a lane the store holds in a shape it cannot read is an error, not an empty queue', async () => {
      await store.kv.set(`xpost:lane:${A}`, { waiting: 'm1' });
      await expect(createCrosspostLanesRepo(store.kv).get(A)).rejects.toThrow();
    });
  });
}
