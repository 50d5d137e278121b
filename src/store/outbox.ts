import { type Delivery, DeliverySchema, encodeTarget, type Target } from '../domain/delivery';
import { digest } from './hash';
import type { KV } from './kv';

export function deliveryId(target: Target, itemKey: string): string {
  return digest(`${encodeTarget(target)}\n${itemKey}`, 24);
}

export function newDelivery(
  target: Target,
  itemKey: string,
  topicIds: string[],
  now: Date,
  mentionRoleId?: string,
): Delivery {
  const id = deliveryId(target, itemKey);
  return {
    id,
    target,
    itemKey,
    topicIds,
    mentionRoleId,
    nonce: id,
    createdAt: now.toISOString(),
    attempts: 0,
  };
}

export interface OutboxRepo {
  /** Adds deliveries; one already pending (same target and item) is left as it is. */
  add(deliveries: Delivery[]): Promise<void>;
  pending(): Promise<Delivery[]>;
  /** Rewrites a pending delivery; one already removed (sent, perhaps by another process) stays removed. */
  update(delivery: Delivery): Promise<void>;
  remove(id: string): Promise<void>;
}

const INDEX = 'outbox:index';

/**
 * Deliveries, one record each, and one index that lists them. Every change to the index is one
 * `KV.update` together with the records it names (kv.ts), so several processes adding and
 * removing deliveries at once lose none, and the index never names a record that was not written
 * with it. Records written by earlier versions (index first, record second) may still leave a
 * name without a record after a crash: `pending` skips it, and the next poll writes it again.
 */
export function createOutboxRepo(kv: KV): OutboxRepo {
  const key = (id: string) => `outbox:d:${id}`;
  return {
    async add(deliveries) {
      if (deliveries.length === 0) return;
      const unique = [...new Map(deliveries.map((d) => [d.id, d])).values()];
      await kv.update([INDEX, ...unique.map((d) => key(d.id))], ([index, ...records]) => {
        const ids = (index as string[] | undefined) ?? [];
        const fresh = unique.filter((_, i) => records[i] === undefined);
        const known = new Set(ids);
        const added = fresh.map((d) => d.id).filter((id) => !known.has(id));
        const writes = fresh.map((d) => ({ key: key(d.id), value: d as unknown }));
        if (added.length > 0) writes.push({ key: INDEX, value: [...ids, ...added] });
        return { writes, result: undefined };
      });
    },
    async pending() {
      const ids = (await kv.get<string[]>(INDEX)) ?? [];
      const raw = await kv.getMany(ids.map(key));
      return raw.flatMap((r) => {
        const parsed = DeliverySchema.safeParse(r);
        return parsed.success ? [parsed.data] : [];
      });
    },
    async update(delivery) {
      const value = DeliverySchema.parse(delivery);
      await kv.update([key(delivery.id)], ([current]) => ({
        writes: current === undefined ? [] : [{ key: key(delivery.id), value }],
        result: undefined,
      }));
    },
    async remove(id) {
      await kv.update([INDEX], ([index]) => {
        const ids = (index as string[] | undefined) ?? [];
        const writes = [{ key: key(id), value: undefined as unknown }];
        if (ids.includes(id)) writes.push({ key: INDEX, value: ids.filter((x) => x !== id) });
        return { writes, result: undefined };
      });
    },
  };
}
