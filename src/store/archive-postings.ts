/**
 * The word index's write buffer. A batch's words are most of what an item is filed under (~8 of
 * the ~10 lists per item), and each word list is a row of its own, scattered through the store:
 * appending to ~150 of them per 20-item batch rewrote ~150 pages, most of the put's cost. So a
 * batch writes its word entries as one row instead (`postingsKey`: word → its entries in that
 * batch) and lists the row as pending for its day (`pendingKey`). Pending rows move on in two
 * steps (archive-fold.ts): every MERGE_AT batches they are merged into one group, written as a
 * row per shard of the words (`mergedRowKey`, listed per shard by `mergedKey`), and every FOLD_AT
 * groups of a shard are folded into that shard's word lists, so a word shared by many batches has
 * its list rewritten once per MERGE_AT × FOLD_AT batches instead of once per batch. Readers merge
 * a day's pending rows, and the merged rows of the shards of the words they read, with its word
 * lists, so the index answers the same at every moment; the hourly prune folds what is left on
 * days that have ended, so older days read no pending rows.
 *
 * Places are handed out in order and every step takes the oldest rows first, so a word list
 * stays ascending, every merged entry is later than every folded one of its word, and every
 * pending entry later than every merged one.
 */
import { decodeEntries, encodeEntries, getInBatches } from './archive-list';
import type { Write } from './atomic';
import type { KV } from './kv';

/** One batch's word entries: word name → its entries in the batch (list text, ascending). */
export type Postings = Record<string, string>;

/** The postings row of the batch whose first place in the day is `first`. */
export const postingsKey = (day: string, first: number) => `arch:wb:${day}:${first}`;
/** A day's unfolded batches, by first place, oldest first. */
export const pendingKey = (day: string) => `arch:wp:${day}`;
/**
 * The days that have pending batches, so that a query over 30 days looks up one key, not 30. A
 * day is listed in the same update that writes its first pending batch, and unlisted only in an
 * update that sees its pending list empty: a day with pending batches is always listed.
 */
export const PENDING_DAYS_KEY = 'arch:wpdays';

/** The write that lists `day` among the days with pending batches, or unlists it; none if so already. */
export function listPendingDay(listed: unknown, day: string, pending: boolean): Write[] {
  const days = (listed as string[] | undefined) ?? [];
  if (days.includes(day) === pending) return [];
  const next = pending ? [...days, day].sort() : days.filter((d) => d !== day);
  return [{ key: PENDING_DAYS_KEY, value: next.length > 0 ? next : undefined }];
}

/**
 * Merged rows are split by word into this many shards, so that a reader reads only the shards of
 * the words it asks for, and a fold rewrites only one shard's lists. Part of the stored layout.
 */
export const SHARDS = 16;

/** The shard a word's merged entries are filed under (a 31-multiplier string hash). */
export function shardOf(word: string): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = (Math.imul(h, 31) + word.charCodeAt(i)) | 0;
  return (h >>> 0) % SHARDS;
}

/** A merged group's row of one shard; the group is named by its first batch's first place. */
export const mergedRowKey = (day: string, first: number, shard: number) =>
  `arch:wr:${day}:${first}:${shard}`;
/** A day's merged groups that have a row in `shard`, not yet folded, oldest first. */
export const mergedKey = (day: string, shard: number) => `arch:wm:${day}:${shard}`;
/**
 * The words of `shard` that have a word list on `day`, written by the folds that start their
 * lists: what retention deletes a day's word lists by.
 */
export const vocabularyKey = (day: string, shard: number) => `arch:wv:${day}:${shard}`;
/** Every shard's list of merged groups of `day`. */
export const mergedKeys = (day: string) =>
  Array.from({ length: SHARDS }, (_, shard) => mergedKey(day, shard));

/** The postings row of one batch: items' words with their packed places, in place order. */
export function postingsOf(items: Array<{ words: string[]; packed: number }>): Postings {
  // No prototype: a word is any string, "__proto__" included.
  const postings: Postings = Object.create(null);
  for (const { words, packed } of items) {
    // Entries are fixed-width text: an item's place is encoded once and appended to each word.
    const entry = encodeEntries([packed]);
    for (const word of words) postings[word] = (postings[word] ?? '') + entry;
  }
  return postings;
}

const entriesOf = (postings: Postings | undefined, word: string) =>
  postings && Object.hasOwn(postings, word) ? (postings[word] as string) : undefined;

/** A word of a day whose list is read. */
export interface AskedWord {
  day: string;
  word: string;
}

/** Reads that found a listed row gone (moved on by a merge or fold meanwhile) start again. */
const REREADS = 4;

/**
 * Per day, the rows holding entries not yet in the word lists of `asked`, oldest first: the
 * merged rows of the words' shards, then the pending rows. Read before the word lists they are
 * merged with: a fold in between then shows its entries twice (which the merge drops), never not
 * at all. A row listed but gone when read was merged or folded in between, so its entries may now
 * be in a row this read did not list: the read starts again.
 */
export async function readPending(kv: KV, asked: AskedWord[]): Promise<Map<string, Postings[]>> {
  if (asked.length === 0) return new Map();
  const listed = new Set((await kv.get<string[]>(PENDING_DAYS_KEY)) ?? []);
  const shards = new Map<string, Set<number>>();
  for (const { day, word } of asked) {
    if (!listed.has(day)) continue;
    const set = shards.get(day) ?? new Set();
    shards.set(day, set.add(shardOf(word)));
  }
  for (let read = 1; ; read++) {
    const { rows, complete } = await readRowsOnce(kv, shards);
    if (complete || read >= REREADS) return rows;
  }
}

async function readRowsOnce(
  kv: KV,
  shardsByDay: Map<string, Set<number>>,
): Promise<{ rows: Map<string, Postings[]>; complete: boolean }> {
  const days = [...shardsByDay].map(([day, set]) => ({
    day,
    shards: [...set].sort((a, b) => a - b),
  }));
  const listKeys = days.flatMap(({ day, shards }) => [
    pendingKey(day),
    ...shards.map((s) => mergedKey(day, s)),
  ]);
  const lists = await getInBatches<number[]>(kv, listKeys);
  let at = 0;
  const rowKeys = days.map(({ day, shards }) => {
    const pending = lists[at++] ?? [];
    const merged = shards.flatMap((s) =>
      (lists[at++] ?? []).map((first) => ({ first, key: mergedRowKey(day, first, s) })),
    );
    // Groups oldest first (a shard's rows of one group hold different words: their order is free).
    merged.sort((a, b) => a.first - b.first);
    return [...merged.map((m) => m.key), ...pending.map((f) => postingsKey(day, f))];
  });
  const read = await getInBatches<Postings>(kv, rowKeys.flat());
  const rows = new Map<string, Postings[]>();
  let complete = true;
  at = 0;
  days.forEach(({ day }, i) => {
    const n = rowKeys[i]!.length;
    const slice = read.slice(at, at + n);
    at += n;
    const present = slice.filter((r): r is Postings => r !== undefined);
    if (present.length < n) complete = false;
    if (present.length > 0) rows.set(day, present);
  });
  return { rows, complete };
}

/** A word list with the day's pending entries for that word after it, without repeats. */
export function withPending(
  folded: Float64Array,
  rows: Postings[] | undefined,
  word: string,
): Float64Array {
  const texts = (rows ?? []).flatMap((r) => entriesOf(r, word) ?? []);
  if (texts.length === 0) return folded;
  const last = folded.length > 0 ? (folded[folded.length - 1] as number) : -1;
  // Entries are fixed-width text: the rows' entries decode as one.
  const pending = decodeEntries(texts.join(''));
  let kept = 0;
  for (const e of pending) if (e > last) kept++;
  const out = new Float64Array(folded.length + kept);
  out.set(folded);
  let at = folded.length;
  for (const e of pending) if (e > last) out[at++] = e;
  return out;
}
