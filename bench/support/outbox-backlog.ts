/**
 * What queueing and sending a delivery costs the outbox when many are already pending (a
 * channel paused, digests waiting, Discord down for an hour): a SQLite store is filled to the
 * backlog, then polls of 20 deliveries are added and as many of the oldest removed, as a drain
 * would, so the backlog stays where it is. Returns µs per delivery for the adds and the removes,
 * one figure per round, and the bytes they wrote per delivery (keys and values as the KV was
 * handed them): the figure a loaded machine cannot blur.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Delivery } from '../../src/domain/delivery';
import { openStore, type KV } from '../../src/store/kv';
import { newDelivery, type OutboxRepo } from '../../src/store/outbox';

const POLL = 20;
const now = new Date('2026-12-07T12:00:00Z');

const poll = (p: number): Delivery[] =>
  Array.from({ length: POLL }, (_, i) =>
    newDelivery({ kind: 'channel', channelId: `3000000000000000${i % 4}` }, `p${p}-${i}`, [], now),
  );

export interface BacklogCost {
  addUs: number[];
  removeUs: number[];
  addBytes: number;
  removeBytes: number;
}

/** `kv`, counting the bytes of every write: the plans' writes on SQLite run once each. */
function counting(kv: KV): { kv: KV; written: () => number } {
  let bytes = 0;
  const count = (key: string, value: unknown) => {
    bytes += key.length + (value === undefined ? 0 : JSON.stringify(value).length);
  };
  return {
    kv: {
      ...kv,
      set: (key, value, ttlMs) => (count(key, value), kv.set(key, value, ttlMs)),
      setMany: (entries) => {
        for (const e of entries) count(e.key, e.value);
        return kv.setMany(entries);
      },
      update: (keys, plan) =>
        kv.update(keys, (values) => {
          const planned = plan(values);
          for (const w of planned.writes) count(w.key, w.value);
          return planned;
        }),
    },
    written: () => bytes,
  };
}

export async function outboxBacklogCost(
  createOutbox: (kv: KV) => OutboxRepo,
  backlog: number,
  rounds: number,
): Promise<BacklogCost> {
  const dir = await mkdtemp(join(tmpdir(), 'briefing-bench-outbox-'));
  const kv = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  try {
    const counted = counting(kv);
    const outbox = createOutbox(counted.kv);
    const queued: Delivery[][] = [];
    let polls = 0;
    // Filled 25 polls per add, to keep the set-up short; the pages come out the same.
    while (polls < backlog / POLL) {
      const some = Array.from({ length: Math.min(25, backlog / POLL - polls) }, () =>
        poll(polls++),
      );
      queued.push(...some);
      await outbox.add(some.flat());
    }
    const cost: BacklogCost = { addUs: [], removeUs: [], addBytes: 0, removeBytes: 0 };
    for (let r = 0; r < rounds; r++) {
      const fresh = poll(polls++);
      queued.push(fresh);
      let [t0, b0] = [performance.now(), counted.written()];
      await outbox.add(fresh);
      cost.addUs.push(((performance.now() - t0) * 1000) / POLL);
      cost.addBytes += (counted.written() - b0) / (POLL * rounds);
      const sent = queued.shift()!;
      [t0, b0] = [performance.now(), counted.written()];
      for (const d of sent) await outbox.remove(d.id);
      cost.removeUs.push(((performance.now() - t0) * 1000) / POLL);
      cost.removeBytes += (counted.written() - b0) / (POLL * rounds);
    }
    return cost;
  } finally {
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  }
}
