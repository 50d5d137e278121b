/**
 * The store's one atomic read-modify-write, `KV.update(keys, plan)`: read some keys, decide from
 * their values what to write, and commit the writes only if nobody changed those keys in
 * between — nobody in this process, in another process, or on another machine. keyv has no such
 * operation, so each backend brings its own (atomic-sqlite.ts, atomic-redis.ts,
 * atomic-postgres.ts); this file holds what they share: the plan's shape and keyv's value format,
 * which the backends write and read directly so that keyv reads their values back unchanged.
 */
import { deserialize, serialize } from './serialize';

/** One write of an update: a value (with an optional TTL), or `value: undefined` to delete the key. */
export interface Write {
  key: string;
  value: unknown;
  ttlMs?: number;
}

/** What a plan decides: the writes to commit together, and what `update` then returns. */
export interface Planned<R> {
  writes: Write[];
  result: R;
}

/**
 * Decides the writes from the values of the keys read (undefined where a key is absent or
 * expired), in the order of the keys. It must be synchronous and have no effects of its own:
 * a backend may run it again on fresh values when another writer got there first.
 */
export type Plan<R> = (values: unknown[]) => Planned<R>;

/** A write in the backend's terms: the stored text (keyv's format), or null for a delete. */
export interface RawWrite {
  key: string;
  text: string | null;
  ttlMs?: number;
}

/** A plan over stored texts, as the backends run it: keys already carry the store's prefix. */
export type RawPlan<R> = (texts: Array<string | undefined>) => { writes: RawWrite[]; result: R };

/**
 * keyv's stored record for a value: `{"value":…,"expires":ms}` (no `expires` without a TTL),
 * through the same serialiser keyv uses (serialize.ts).
 */
export function encodeStored(value: unknown, ttlMs: number | undefined, now: number): string {
  return serialize({ value, expires: ttlMs === undefined ? undefined : now + ttlMs });
}

/** The value of a stored record, or undefined if there is none or it expired (as keyv reads it). */
export function decodeStored(text: string | undefined, now: number): unknown {
  if (text === undefined) return undefined;
  const data = deserialize<{ value?: unknown; expires?: number | null }>(text);
  if (typeof data?.expires === 'number' && now > data.expires) return undefined;
  return data?.value;
}

/** The plan in the backends' terms: prefixed keys, keyv's stored texts. */
export function rawPlan<R>(prefix: string, plan: Plan<R>): RawPlan<R> {
  return (texts) => {
    const now = Date.now();
    const { writes, result } = plan(texts.map((t) => decodeStored(t, now)));
    // A key written twice keeps its last write, so backends may apply the writes in any order.
    const last = new Map<string, RawWrite>();
    for (const w of writes) {
      const text = w.value === undefined ? null : encodeStored(w.value, w.ttlMs, now);
      last.set(prefix + w.key, { key: prefix + w.key, text, ttlMs: w.ttlMs });
    }
    return { result, writes: [...last.values()] };
  };
}
