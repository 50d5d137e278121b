import { type Delivery, DeliverySchema, encodeTarget, type Target } from '../domain/delivery';
import { digest } from './hash';
import type { KV } from './kv';
import { KeyedMutex } from './mutex';

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
  update(delivery: Delivery): Promise<void>;
  remove(id: string): Promise<void>;
}

const INDEX = 'outbox:index';

export function createOutboxRepo(kv: KV): OutboxRepo {
  const mutex = new KeyedMutex();
  const key = (id: string) => `outbox:d:${id}`;
  const editIndex = (edit: (ids: string[]) => string[]) =>
    mutex.run(INDEX, async () => {
      const ids = (await kv.get<string[]>(INDEX)) ?? [];
      const next = edit(ids);
      if (next !== ids) await kv.set(INDEX, next);
    });

  return {
    async add(deliveries) {
      if (deliveries.length === 0) return;
      const existing = await kv.getMany(deliveries.map((d) => key(d.id)));
      const fresh = deliveries.filter((_, i) => existing[i] === undefined);
      // Index first: after a crash between the two writes the index names a missing record
      // (skipped, and rewritten by the next poll), never a record the index does not list.
      await editIndex((ids) => {
        const known = new Set(ids);
        const added = fresh.map((d) => d.id).filter((id) => !known.has(id));
        return added.length ? [...ids, ...added] : ids;
      });
      await kv.setMany(fresh.map((d) => ({ key: key(d.id), value: d })));
    },
    async pending() {
      const ids = (await kv.get<string[]>(INDEX)) ?? [];
      const raw = await kv.getMany(ids.map(key));
      return raw.flatMap((r) => {
        const parsed = DeliverySchema.safeParse(r);
        return parsed.success ? [parsed.data] : [];
      });
    },
    update: (delivery) => kv.set(key(delivery.id), DeliverySchema.parse(delivery)),
    async remove(id) {
      await kv.delete(key(id));
      await editIndex((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : ids));
    },
  };
}
