/**
 * How a day's word postings reach its word lists (the layout is in archive-postings.ts): pending
 * batch rows are merged into a group of rows split by shard of the words, and a shard's groups
 * are folded into its word lists. Folding is what costs: each word list a fold touches has its
 * head read and rewritten. Merging first makes a fold take FOLD_AT groups of MERGE_AT batches at
 * once, so a word most items share (in the pipeline bench, most of a fold's words) has its head
 * rewritten once per 16 × 8 batches instead of once per 16, and a merge itself writes one row per
 * shard — a few pages — however many words the batches hold. Sharding keeps what one fold locks
 * and rewrites to a sixteenth of the day's vocabulary, and what a reader merges to the shards of
 * the words it asks for.
 *
 * Each step is one atomic update (KV.update): a merge writes the group's rows, lists the group
 * per shard, deletes the batch rows and shortens the pending list together; a fold appends to the
 * lists, deletes the shard's rows of its groups and shortens the shard's list together, and names
 * the lists it starts in the shard's vocabulary row (what retention deletes by). A step that
 * finds its rows already taken by another writer leaves them to it.
 */
import { listName } from './archive-index';
import { appendEncoded, checkHead, getInBatches } from './archive-list';
import {
  listPendingDay,
  mergedKey,
  mergedKeys,
  mergedRowKey,
  PENDING_DAYS_KEY,
  pendingKey,
  type Postings,
  postingsKey,
  SHARDS,
  shardOf,
  vocabularyKey,
} from './archive-postings';
import type { Write } from './atomic';
import type { KV } from './kv';

/**
 * Pending batches that are merged into one group. Readers of a day read its pending rows whole,
 * so this bounds what they merge (≤ 15 rows of ~20 items); a group of 16 batches of 20 items is a
 * row of ~6 KB per shard.
 */
export const MERGE_AT = 16;

/**
 * Merged groups of a shard that trigger folding it into its word lists. A reader merges up to
 * FOLD_AT − 1 rows per word it asks for; each word list is rewritten once per FOLD_AT groups.
 */
export const FOLD_AT = 8;

/** After a put: merges the day's pending batches once there are MERGE_AT, and folds full shards. */
export async function compactDay(kv: KV, day: string, ttlMs: number): Promise<void> {
  const groups = await mergePending(kv, day, ttlMs, MERGE_AT);
  for (let shard = 0; shard < SHARDS; shard++)
    if ((groups[shard] ?? 0) >= FOLD_AT) await foldShard(kv, day, shard, ttlMs);
}

/**
 * Folds everything a day has pending or merged into its word lists, and unlists the day once
 * nothing is left: for days that have ended, whose last groups would otherwise never fill.
 */
export async function foldDay(kv: KV, day: string, ttlMs: number): Promise<void> {
  await mergePending(kv, day, ttlMs, 1);
  for (let shard = 0; shard < SHARDS; shard++) await foldShard(kv, day, shard, ttlMs);
  // Unlisted only if nothing was written to the day since (a later put lists it again).
  await kv.update(
    [PENDING_DAYS_KEY, pendingKey(day), ...mergedKeys(day)],
    ([listed, ...lists]) => ({
      writes: listPendingDay(
        listed,
        day,
        lists.some((l) => l !== undefined),
      ),
      result: undefined,
    }),
  );
}

/**
 * Merges the day's pending batches, if there are at least `least`, into one group; returns how
 * many groups each shard then has unfolded (none if another writer merged them first).
 */
async function mergePending(kv: KV, day: string, ttlMs: number, least: number): Promise<number[]> {
  const pending = (await kv.get<number[]>(pendingKey(day))) ?? [];
  if (pending.length < least || pending.length === 0) return [];
  const rowKeys = pending.map((first) => postingsKey(day, first));
  const first = pending[0] as number;
  return kv.update([pendingKey(day), ...mergedKeys(day), ...rowKeys], (values) => {
    const now = (values[0] as number[] | undefined) ?? [];
    // Merged by another writer since: nothing of these batches is left to merge.
    if (!pending.every((f, i) => now[i] === f)) return { writes: [], result: [] };
    const groups = values.slice(1, 1 + SHARDS) as Array<number[] | undefined>;
    const rows = values.slice(1 + SHARDS) as Array<Postings | undefined>;
    const writes: Write[] = [];
    const counts = groups.map((g) => g?.length ?? 0);
    mergeRows(rows).forEach((row, shard) => {
      if (!row) return;
      writes.push({ key: mergedRowKey(day, first, shard), value: row, ttlMs });
      writes.push({ key: mergedKey(day, shard), value: [...(groups[shard] ?? []), first], ttlMs });
      counts[shard]! += 1;
    });
    for (const key of rowKeys) writes.push({ key, value: undefined });
    const rest = now.slice(pending.length);
    writes.push({ key: pendingKey(day), value: rest.length > 0 ? rest : undefined, ttlMs });
    return { writes, result: counts };
  });
}

/** Batch rows, oldest first, as one row per shard: each word's entries in place order. */
function mergeRows(rows: Array<Postings | undefined>): Array<Postings | undefined> {
  const shards: Array<Map<string, string[]> | undefined> = [];
  for (const row of rows) {
    for (const word in row) {
      const shard = shardOf(word);
      const words = (shards[shard] ??= new Map());
      const texts = words.get(word);
      if (texts) texts.push(row[word] as string);
      else words.set(word, [row[word] as string]);
    }
  }
  return Array.from({ length: SHARDS }, (_, shard) => {
    const words = shards[shard];
    if (!words) return undefined;
    // No prototype: a word is any string, "__proto__" included.
    const merged: Postings = Object.create(null);
    for (const [word, texts] of words) merged[word] = texts.join('');
    return merged;
  });
}

/** Folds a shard's merged groups into its word lists; another writer's fold of them is kept. */
async function foldShard(kv: KV, day: string, shard: number, ttlMs: number): Promise<void> {
  for (;;) {
    const groups = (await kv.get<number[]>(mergedKey(day, shard))) ?? [];
    if (groups.length === 0) return;
    const rowKeys = groups.map((first) => mergedRowKey(day, first, shard));
    const read = await getInBatches<Postings>(kv, rowKeys);
    const words = [...new Set(read.flatMap((r) => (r ? Object.keys(r) : [])))];
    const names = words.map((word) => listName(day, { kind: 'word', name: word }));
    const keys = [mergedKey(day, shard), vocabularyKey(day, shard), ...rowKeys, ...names];
    const done = await kv.update(keys, (values) => {
      const now = (values[0] as number[] | undefined) ?? [];
      // Folded by another writer since: these groups are in the lists already.
      if (!groups.every((f, i) => now[i] === f)) return { writes: [], result: true };
      const rows = values.slice(2, 2 + rowKeys.length) as Array<Postings | undefined>;
      const index = new Map(words.map((word, i) => [word, i]));
      // Each word's entries, still encoded: they are appended as text (appendEncoded).
      const added = words.map((): string[] => []);
      for (const row of rows) {
        for (const word in row) {
          const at = index.get(word);
          // Rows changed since they were read (a day pruned and written anew): read them again.
          if (at === undefined) return { writes: [], result: false };
          added[at]!.push(row[word] as string);
        }
      }
      const writes: Write[] = [];
      const started: string[] = [];
      names.forEach((name, i) => {
        const head = checkHead(name, values[2 + rowKeys.length + i]);
        const text = added[i]!.join('');
        if (!head && text.length > 0) started.push(words[i]!);
        for (const w of appendEncoded(name, head, text).writes) writes.push({ ...w, ttlMs });
      });
      if (started.length > 0) {
        const known = (values[1] as string[] | undefined) ?? [];
        writes.push({ key: vocabularyKey(day, shard), value: [...known, ...started], ttlMs });
      }
      for (const key of rowKeys) writes.push({ key, value: undefined });
      const rest = now.slice(groups.length);
      writes.push({ key: mergedKey(day, shard), value: rest.length > 0 ? rest : undefined, ttlMs });
      return { writes, result: true };
    });
    if (done) return;
  }
}
