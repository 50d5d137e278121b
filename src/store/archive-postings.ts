/**
 * The word index's write buffer. A batch's words are most of what an item is filed under (~8 of
 * the ~10 lists per item), and each word list is a row of its own, scattered through the store:
 * appending to ~150 of them per 20-item batch rewrote ~150 pages, most of the put's cost. So a
 * batch writes its word entries as one row instead (`postingsKey`: word → its entries in that
 * batch) and lists the row as pending for its day (`pendingKey`); every FOLD_AT pending batches,
 * the oldest are folded into the per-word lists at once, where the words the batches share are
 * rewritten once instead of once per batch. Readers merge the pending rows of a day with its
 * word lists, so the index answers the same at every moment; the hourly prune folds what is left
 * on days that have ended, so older days read no pending rows.
 *
 * Each step is one atomic update (KV.update): a batch's postings row and its place in the pending
 * list are written with the batch; a fold appends to the lists, deletes the rows and shortens the
 * pending list together. Places are handed out in order and folds take the oldest batches first,
 * so a word list stays ascending, and every pending entry is later than every folded one.
 */
import { listName } from './archive-index';
import {
  appendWrites,
  checkHead,
  decodeEntries,
  encodeEntries,
  getInBatches,
} from './archive-list';
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
 * Pending batches that trigger a fold. Larger folds share more words (fewer list rewrites per
 * item) but leave readers more rows to merge; at 16 batches of 20 items, a fold rewrites each
 * word list of ~320 items once.
 */
export const FOLD_AT = 16;

/** The postings row of one batch: items' words with their packed places, in place order. */
export function postingsOf(items: Array<{ words: string[]; packed: number }>): Postings {
  // No prototype: a word is any string, "__proto__" included.
  const entries = new Map<string, number[]>();
  for (const { words, packed } of items) {
    for (const word of words) {
      const list = entries.get(word);
      if (list) list.push(packed);
      else entries.set(word, [packed]);
    }
  }
  const postings: Postings = Object.create(null);
  for (const [word, list] of entries) postings[word] = encodeEntries(list);
  return postings;
}

const entriesOf = (postings: Postings | undefined, word: string) =>
  postings && Object.hasOwn(postings, word) ? (postings[word] as string) : undefined;

/**
 * Per day, the postings rows of its pending batches, oldest first. Read before the word lists
 * they are merged with: a fold in between then shows its entries twice (which the merge drops),
 * never not at all.
 */
export async function readPending(kv: KV, asked: string[]): Promise<Map<string, Postings[]>> {
  if (asked.length === 0) return new Map();
  const listed = new Set((await kv.get<string[]>(PENDING_DAYS_KEY)) ?? []);
  const days = asked.filter((day) => listed.has(day));
  const pending = await getInBatches<number[]>(kv, days.map(pendingKey));
  const keys = days.flatMap((day, i) => (pending[i] ?? []).map((f) => postingsKey(day, f)));
  const rows = await getInBatches<Postings>(kv, keys);
  const out = new Map<string, Postings[]>();
  let at = 0;
  days.forEach((day, i) => {
    const n = pending[i]?.length ?? 0;
    // A row gone since the pending list was read was folded: its entries are in the lists.
    const present = rows.slice(at, at + n).filter((r): r is Postings => r !== undefined);
    at += n;
    if (present.length > 0) out.set(day, present);
  });
  return out;
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
  const added = texts.flatMap((t) => Array.from(decodeEntries(t))).filter((e) => e > last);
  const out = new Float64Array(folded.length + added.length);
  out.set(folded);
  out.set(added, folded.length);
  return out;
}

/** Folds the day's pending batches into its word lists; another writer's fold of them is kept. */
export async function foldDay(kv: KV, day: string, ttlMs: number): Promise<void> {
  for (;;) {
    const pending = (await kv.get<number[]>(pendingKey(day))) ?? [];
    if (pending.length === 0) return;
    const rowKeys = pending.map((f) => postingsKey(day, f));
    const read = await getInBatches<Postings>(kv, rowKeys);
    const words = [...new Set(read.flatMap((r) => (r ? Object.keys(r) : [])))];
    const names = words.map((word) => listName(day, { kind: 'word', name: word }));
    const keys = [pendingKey(day), PENDING_DAYS_KEY, ...rowKeys, ...names];
    const done = await kv.update(keys, (values) => {
      const now = (values[0] as number[] | undefined) ?? [];
      // Folded by another writer since: these batches are in the lists already.
      if (!pending.every((f, i) => now[i] === f)) return { writes: [], result: true };
      const rows = values.slice(2, 2 + rowKeys.length) as Array<Postings | undefined>;
      const index = new Map(words.map((word, i) => [word, i]));
      const added = words.map((): number[] => []);
      for (const row of rows) {
        for (const word in row) {
          const at = index.get(word);
          // Rows changed since they were read (a day pruned and written anew): read them again.
          if (at === undefined) return { writes: [], result: false };
          for (const entry of decodeEntries(row[word] as string)) added[at]!.push(entry);
        }
      }
      const writes: Write[] = [];
      names.forEach((name, i) => {
        const head = checkHead(name, values[2 + rowKeys.length + i]);
        for (const w of appendWrites(name, head, added[i]!).writes) writes.push({ ...w, ttlMs });
      });
      for (const key of rowKeys) writes.push({ key, value: undefined });
      const rest = now.slice(pending.length);
      writes.push({ key: pendingKey(day), value: rest.length > 0 ? rest : undefined, ttlMs });
      writes.push(...listPendingDay(values[1], day, rest.length > 0));
      return { writes, result: true };
    });
    if (done) return;
  }
}
