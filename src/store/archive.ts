import { pointerKey, slotKey, DAYS_KEY, listName, type ListRef } from './archive-index';
import { getInBatches, readHeads, readLists } from './archive-list';
import { type AskedWord, type Postings, readPending, withPending } from './archive-postings';
import { pruneArchive, type PruneReport } from './archive-prune';
import type { ArchiveContext, Entry } from './archive-context';
import { putEntries } from './archive-put';
import { type Archived, ArchivedSchema } from './archive-record';
import { DAY_MS, type Slot } from './archive-slot';
import type { KV } from './kv';
import { KeyedMutex } from './mutex';

export { dayOf, dayStart, unpackSlot, type Slot } from './archive-slot';
export type { IndexRef, ListRef } from './archive-index';
export type { PruneReport } from './archive-prune';
export { type Archived, ArchivedSchema } from './archive-record';

/**
 * Every item ever seen (for the retention window), indexed by day: one list of all items, one per
 * feed, per matched topic and per word of the searchable text (archive-index.ts). A query over a
 * range reads only its days' lists, and counts from their heads without reading entries; nothing
 * ever scans the archive. Each day's writes are atomic updates (archive-put.ts), so several
 * processes may archive into one store at once.
 */
export interface ArchiveRepo {
  /** Items older than this (by publication) are removed by `prune`. */
  readonly retentionMs: number;
  /**
   * Stores items and adds them to their day's lists. Writing an item again is harmless: it keeps
   * its place, and topics it newly matches are added to their lists.
   */
  put(entries: Entry[]): Promise<void>;
  get(keys: string[]): Promise<Array<Archived | undefined>>;
  /** Days that hold items, ascending, from `first` to `last` (UTC days, both included). */
  days(first: string, last: string): Promise<string[]>;
  /** How many entries each list has, read from list heads (and a day's unfolded word postings). */
  counts(lists: ListRef[]): Promise<number[]>;
  /**
   * Every entry of each list in arrival order, as packed places (archive-slot.ts: the same item is
   * the same number in every list of its day; a crash during a write can repeat one).
   */
  entries(lists: ListRef[]): Promise<Float64Array[]>;
  /** The items at these places; undefined where an item is gone. */
  load(slots: Slot[]): Promise<Array<Archived | undefined>>;
  /** Deletes whole days older than the retention window; call it every hour or so. */
  prune(now: Date): Promise<PruneReport>;
}

/** The word lists asked for: their days' pending and merged postings are merged in. */
const askedWords = (lists: ListRef[]): AskedWord[] =>
  lists.flatMap((l) => (l.index.kind === 'word' ? [{ day: l.day, word: l.index.name }] : []));

/** A stored record as an Archived, or undefined if it is not one (an old format, corruption). */
function toArchived(raw: unknown): Archived | undefined {
  const parsed = ArchivedSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export function createArchiveRepo(kv: KV, options: { retentionMs: number }): ArchiveRepo {
  // Keys outlive the window by two days, so a store without prune (or before it runs) still sheds
  // old data, and nothing prune would still list has expired on its own.
  const ctx: ArchiveContext = {
    kv,
    mutex: new KeyedMutex(),
    ttlMs: options.retentionMs + 2 * DAY_MS,
    waiting: new Map(),
  };
  const load = async (slots: Slot[]) =>
    (
      await getInBatches(
        kv,
        slots.map((s) => slotKey(s.day, s.ord)),
      )
    ).map(toArchived);
  /** Lists read whole; word lists with the pending postings (read before them) merged in. */
  const merged = async (lists: ListRef[], pending: Map<string, Postings[]>) => {
    const folded = await readLists(
      kv,
      lists.map((l) => listName(l.day, l.index)),
    );
    return lists.map((l, i) => {
      const list = folded[i] as Float64Array;
      return l.index.kind === 'word' ? withPending(list, pending.get(l.day), l.index.name) : list;
    });
  };
  const entries = async (lists: ListRef[]) =>
    merged(lists, await readPending(kv, askedWords(lists)));
  return {
    retentionMs: options.retentionMs,
    put: (entries) => putEntries(ctx, entries),
    async get(keys) {
      const places = await getInBatches<[string, number]>(kv, keys.map(pointerKey));
      const found = places.flatMap((p) => (p ? [{ day: p[0], ord: p[1], ms: 0 }] : []));
      const records = await load(found);
      let at = 0;
      return places.map((p, i) => {
        const archived = p ? records[at++] : undefined;
        // An interrupted write leaves a pointer to a place without a record.
        return archived?.item.key === keys[i] ? archived : undefined;
      });
    },
    async days(first, last) {
      const all = (await kv.get<string[]>(DAYS_KEY)) ?? [];
      return all.filter((d) => d >= first && d <= last);
    },
    async counts(lists) {
      const pending = await readPending(kv, askedWords(lists));
      const heads = await readHeads(
        kv,
        lists.map((l) => listName(l.day, l.index)),
      );
      // A word with entries still pending is counted from its list read whole (only recent days).
      const whole = lists.filter((l) => l.index.kind === 'word' && pending.has(l.day));
      const read = whole.length > 0 ? await merged(whole, pending) : [];
      return lists.map((l, i) => {
        const at = whole.indexOf(l);
        return at >= 0 ? (read[at] as Float64Array).length : (heads[i]?.n ?? 0);
      });
    },
    entries,
    load,
    prune: (now) => pruneArchive(ctx, options.retentionMs, now),
  };
}
