import { z } from 'zod';
import { ItemSchema, type Item } from '../feeds/item';
import type { Match } from '../topics/types';
import type { KV } from './kv';
import { KeyedMutex } from './mutex';

/** An archived item with the topics it matched when it arrived. */
export const ArchivedSchema = z.object({
  item: ItemSchema,
  matches: z.array(
    z.object({
      topicId: z.string(),
      score: z.number(),
      hits: z.array(z.object({ term: z.string(), field: z.enum(['title', 'description', 'text']), group: z.string().optional() })),
    }),
  ),
});
export type Archived = z.infer<typeof ArchivedSchema>;

/**
 * A bucket lists `[item key, published time in ms]`: the time lets a query order and cut a day
 * without reading the items themselves.
 */
export type BucketEntry = [key: string, publishedMs: number];

/** UTC day of an ISO timestamp: the archive's bucket name. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * Every item ever seen, with indexes bucketed by day (all items, and per matched topic), so a
 * query over a range reads only its days' buckets and never scans the archive.
 */
export interface ArchiveRepo {
  /** Stores items and appends their keys to their buckets; writing the same item again is harmless. */
  put(entries: Array<{ item: Item; matches: Match[] }>): Promise<void>;
  get(keys: string[]): Promise<Array<Archived | undefined>>;
  /** One day bucket (all items, or those that matched `topicId`) in arrival order. */
  bucket(day: string, topicId?: string): Promise<BucketEntry[]>;
}

export function createArchiveRepo(kv: KV, options: { retentionMs: number }): ArchiveRepo {
  const mutex = new KeyedMutex();
  const itemKey = (key: string) => `arch:item:${key}`;
  const bucketKey = (day: string, topicId?: string) => (topicId ? `arch:topic:${topicId}:${day}` : `arch:day:${day}`);
  // Buckets outlive the retention window by a day so no item is listed after its bucket expired.
  const bucketTtl = options.retentionMs + 86_400_000;

  async function append(bucket: string, entries: BucketEntry[]) {
    await mutex.run(bucket, async () => {
      const current = (await kv.get<BucketEntry[]>(bucket)) ?? [];
      const known = new Set(current.map(([k]) => k));
      const added = entries.filter(([k]) => !known.has(k));
      if (added.length > 0) await kv.set(bucket, [...current, ...added], bucketTtl);
    });
  }

  return {
    async put(entries) {
      if (entries.length === 0) return;
      await kv.setMany(
        entries.map(({ item, matches }) => ({
          key: itemKey(item.key),
          value: { item, matches } satisfies Archived,
          ttlMs: options.retentionMs,
        })),
      );
      const buckets = new Map<string, BucketEntry[]>();
      for (const { item, matches } of entries) {
        const day = dayOf(item.publishedAt);
        const entry: BucketEntry = [item.key, Date.parse(item.publishedAt)];
        for (const b of [bucketKey(day), ...matches.map((m) => bucketKey(day, m.topicId))]) {
          buckets.set(b, [...(buckets.get(b) ?? []), entry]);
        }
      }
      // Item records are written first: a bucket never names an item that is not there.
      for (const [bucket, keys] of buckets) await append(bucket, keys);
    },
    async get(keys) {
      const raw = await kv.getMany(keys.map(itemKey));
      return raw.map((r) => {
        const parsed = ArchivedSchema.safeParse(r);
        return parsed.success ? parsed.data : undefined;
      });
    },
    bucket: async (day, topicId) => (await kv.get<BucketEntry[]>(bucketKey(day, topicId))) ?? [],
  };
}
