/**
 * Which archived items a query selects, day by day, read from the archive's lists.
 *
 * A filter is a list of groups: the lists of a group are united (any of the topics, any of the
 * feeds), the groups intersected (topics AND feeds AND every search word). When a query is one
 * list and needs no checking, a day wholly inside the range is only counted (from the list head)
 * and read later only if the page reaches it; days at the edges of the range are read and cut by
 * time. Anything else reads the lists of every day in range — lists of places, never items —
 * except that phrase candidates are loaded and checked, which costs what they number.
 */
import type { Archived, ArchiveRepo, IndexRef, Slot } from '../store/archive';
import { DAY_MS, dayStart, unpackSlot } from '../store/archive-slot';

/** Milliseconds since the epoch: `from` included, `to` excluded. */
export interface Range {
  from: number;
  to: number;
}

/** One day's share of a result: how many items, and (once read) which, newest first. */
export interface DayResult {
  day: string;
  count: number;
  slots?: Slot[];
}

export interface Selection {
  /** Newest day first. */
  days: DayResult[];
  /** The slots of days that were only counted, read together. */
  slotsOf(days: string[]): Promise<Slot[][]>;
  /** Items already loaded to check them, by `day:ord`. */
  loaded: Map<string, Archived>;
  /**
   * A phrase check with more candidates than its budget: only the newest from the page's start
   * were checked, so the counts are a lower bound; `unchecked` says older candidates remain.
   */
  partial?: { unchecked: boolean };
}

/** Phrase candidates checked at most per query: beyond this, only the newest are checked. */
const MAX_CHECKED = 5_000;

export const slotId = (s: Slot) => `${s.day}:${s.ord}`;

/** Newest first; equal times in arrival order (the page orders those by key once loaded). */
function newestFirst(slots: Slot[]): Slot[] {
  return slots.sort((a, b) => b.ms - a.ms || a.ord - b.ord);
}

function ascending(list: Float64Array): boolean {
  for (let i = 1; i < list.length; i++) if (list[i]! <= list[i - 1]!) return false;
  return true;
}

/**
 * A group's lists united, ascending and without repeats. Word and feed lists are already
 * ascending (places are handed out in order); a topic list may not be, after a re-write.
 */
function sortedSet(lists: Float64Array[]): Float64Array {
  if (lists.length === 1 && ascending(lists[0]!)) return lists[0]!;
  const all = new Float64Array(lists.reduce((n, l) => n + l.length, 0));
  lists.reduce((at, l) => (all.set(l, at), at + l.length), 0);
  all.sort();
  let kept = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[kept++] = all[i]!;
  return all.subarray(0, kept);
}

/** The entries in every set, by merging sorted arrays (an item is one number in all its day's lists). */
function intersect(sets: Float64Array[]): Float64Array {
  sets.sort((a, b) => a.length - b.length);
  let acc = sets[0] ?? new Float64Array();
  for (const other of sets.slice(1)) {
    const out = new Float64Array(acc.length);
    let n = 0;
    for (let i = 0, j = 0; i < acc.length && j < other.length; ) {
      if (acc[i]! < other[j]!) i++;
      else if (acc[i]! > other[j]!) j++;
      else (out[n++] = acc[i]!), i++, j++;
    }
    acc = out.subarray(0, n);
  }
  return acc;
}

/** A day's places in range that are in a list of every group, newest first. */
function combine(day: string, groups: Float64Array[][], range: Range): Slot[] {
  const start = dayStart(day);
  const slots: Slot[] = [];
  for (const packed of intersect(groups.map(sortedSet))) {
    const slot = unpackSlot(packed, day, start);
    if (slot.ms >= range.from && slot.ms < range.to) slots.push(slot);
  }
  return newestFirst(slots);
}

export async function selectDays(
  archive: ArchiveRepo,
  days: string[],
  groups: IndexRef[][],
  range: Range,
  verify?: (a: Archived) => boolean,
  /** Where the page starts (a cursor's time): a phrase check spends its budget from there. */
  checkAtOrBefore?: number,
): Promise<Selection> {
  const loaded = new Map<string, Archived>();
  const single =
    groups.length === 1 && groups[0]?.length === 1 && !verify ? groups[0][0] : undefined;
  if (single) {
    const slotsOf = async (some: string[]) => {
      const lists = await archive.entries(some.map((day) => ({ day, index: single })));
      return some.map((day, i) => combine(day, [[lists[i] ?? new Float64Array()]], range));
    };
    const inside = (day: string) =>
      dayStart(day) >= range.from && dayStart(day) + DAY_MS <= range.to;
    const middle = days.filter(inside);
    const counts = await archive.counts(middle.map((day) => ({ day, index: single })));
    const countOf = new Map(middle.map((day, i) => [day, counts[i] ?? 0]));
    const results = await Promise.all(
      days.map(async (day): Promise<DayResult> => {
        const count = countOf.get(day);
        if (count !== undefined) return { day, count };
        const [slots = []] = await slotsOf([day]);
        return { day, count: slots.length, slots };
      }),
    );
    return { days: results, slotsOf, loaded };
  }

  const refs = groups.flat();
  const lists = await archive.entries(days.flatMap((day) => refs.map((index) => ({ day, index }))));
  const results = days.map((day, d): DayResult => {
    let at = d * refs.length;
    const slots = combine(
      day,
      groups.map((g) => g.map(() => lists[at++] ?? new Float64Array())),
      range,
    );
    return { day, count: slots.length, slots };
  });
  const partial = verify
    ? await check(archive, results, verify, loaded, checkAtOrBefore)
    : undefined;
  return { days: results, slotsOf: async () => [], loaded, ...(partial && { partial }) };
}

/**
 * Keeps the candidates that pass `verify`; says whether the budget cut the check short. A phrase made
 * of common words (the bot's own headline, "counter-terrorism") has more candidates than a query
 * should load: then the newest ones from the page's start are checked and the rest left out, so
 * the answer is a page of real matches with a count that says "at least", never a refusal.
 */
async function check(
  archive: ArchiveRepo,
  days: DayResult[],
  verify: (a: Archived) => boolean,
  loaded: Map<string, Archived>,
  atOrBefore: number | undefined,
): Promise<Selection['partial']> {
  // Days are newest first and so are the slots of each: this is newest first overall.
  const all = days.flatMap((d) => d.slots ?? []);
  const partial = all.length > MAX_CHECKED;
  const eligible =
    partial && atOrBefore !== undefined ? all.filter((s) => s.ms <= atOrBefore) : all;
  const checked = eligible.slice(0, MAX_CHECKED);
  const items = await archive.load(checked);
  checked.forEach((s, i) => {
    const item = items[i];
    if (item && verify(item)) loaded.set(slotId(s), item);
  });
  for (const day of days) {
    day.slots = (day.slots ?? []).filter((s) => loaded.has(slotId(s)));
    day.count = day.slots.length;
  }
  return partial ? { unchecked: eligible.length > checked.length } : undefined;
}
