/**
 * The archive's write path. A batch (one feed poll) is written day by day; each day's new items
 * in one atomic store update (KV.update: one SQLite transaction, one Redis script, one PostgreSQL
 * transaction), which reads the day's sequence and the heads of the lists it appends to, and
 * writes the sequence, a pointer per item key, the list heads and the records together. So a
 * crash leaves all of a day's batch or none of it, and writers in several processes never hand
 * out a place twice or lose an append: a writer that lost the race reads again and replans.
 *
 * Records are what readers trust: a pointer whose place holds no record (left by an interrupted
 * write of an earlier version, which committed these steps one by one) names no item, and the
 * item is written again at a new place.
 *
 * Write amplification per batch: one record and one pointer per item, one head rewrite per list
 * touched (the day, the feed, its topics), and one row for the words of the batch's titles and
 * descriptions, which reach their lists through merges and folds (archive-fold.ts). A head
 * holds at most CHUNK entries, so a rewrite is bounded however large the day grows; larger
 * batches share their heads.
 *
 * So batches are made larger where they can be: puts for a day that arrive while this process is
 * writing that day (the worker archives several feeds at once) join one batch, written as one
 * when the write in flight is done, and each caller returns when that write is done. Words most
 * items share are then rewritten once for all of them: 160 items in one batch cost half as much
 * per item as the same items in batches of 20. That queue (a KeyedMutex per day) is for batching
 * only; what makes the writes safe is the atomic update.
 */
import type { Item } from '../domain/item';
import type { ArchiveContext, Batch, Entry, Placed } from './archive-context';
import type { ArchiveRecord } from './archive-record';
import { DAYS_KEY, indexWords, listName, pointerKey, seqKey, slotKey } from './archive-index';
import { appendWrites, checkHead, getInBatches } from './archive-list';
import { compactDay, MERGE_AT } from './archive-fold';
import {
  listPendingDay,
  PENDING_DAYS_KEY,
  pendingKey,
  postingsKey,
  postingsOf,
} from './archive-postings';
import type { Write } from './atomic';
import { dayOf, LAST_MS, packSlot } from './archive-slot';

/**
 * Where the item is filed: its publication time, else when it was fetched. Queries read an item's
 * place in the result order from it (query/story-query.ts).
 */
export function publishedMs(item: Pick<Item, 'publishedAt' | 'fetchedAt'>): number {
  const ms = Date.parse(item.publishedAt);
  const at = Number.isFinite(ms) ? ms : Date.parse(item.fetchedAt);
  return Math.min(Math.max(Number.isFinite(at) ? at : 0, 0), LAST_MS);
}

export async function putEntries(ctx: ArchiveContext, entries: Entry[]): Promise<void> {
  const byKey = new Map(entries.map((e) => [e.item.key, e]));
  const byDay = new Map<string, Entry[]>();
  for (const e of byKey.values()) {
    const day = dayOf(publishedMs(e.item));
    const group = byDay.get(day);
    if (group) group.push(e);
    else byDay.set(day, [e]);
  }
  const known: Placed[] = [];
  for (const [day, group] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
    known.push(...(await putJoined(ctx, day, group)));
  }
  // Items already archived keep their place, which may be on another day if the feed re-dated them.
  for (const day of new Set(known.map((k) => k.day))) {
    await ctx.mutex.run(day, () =>
      mergeMatches(
        ctx,
        day,
        known.filter((k) => k.day === day),
      ),
    );
  }
}

/** Adds `group` to the day's waiting batch, or starts one; returns this group's known items. */
async function putJoined(ctx: ArchiveContext, day: string, group: Entry[]): Promise<Placed[]> {
  const mine = new Set(group.map((e) => e.item.key));
  let batch = ctx.waiting.get(day);
  if (batch) batch.entries.push(...group);
  else {
    const created: Batch = { entries: [...group] };
    ctx.waiting.set(day, created);
    // The lock's task starts at the earliest on a later microtask: `written` is set before anyone joins.
    created.written = ctx.mutex.run(day, () => {
      // From here on, puts for this day form the next batch.
      ctx.waiting.delete(day);
      return putDay(ctx, day, merged(created.entries));
    });
    batch = created;
  }
  return (await batch.written!).filter((k) => mine.has(k.entry.item.key));
}

/** One entry per item key; the same item from two callers keeps the union of their matches. */
function merged(entries: Entry[]): Entry[] {
  const byKey = new Map<string, Entry>();
  for (const e of entries) {
    const seen = byKey.get(e.item.key);
    if (!seen) byKey.set(e.item.key, e);
    else {
      const topics = new Set(seen.matches.map((m) => m.topicId));
      byKey.set(e.item.key, {
        ...seen,
        matches: [...seen.matches, ...e.matches.filter((m) => !topics.has(m.topicId))],
      });
    }
  }
  return [...byKey.values()];
}

/**
 * Writes the new items of one day; returns those already archived, with their places. Most items
 * of a poll are new: once the day has begun, a first update writes every item it finds no
 * pointer for, so the common batch costs one atomic update and no reads of its items before it.
 * Items with a pointer are looked at as a day's first batch is: one whose place holds its record
 * is archived already (a crash after the archive and before the seen set, or a re-poll), one whose
 * place holds none (an interrupted write of an earlier version) is written anew.
 */
async function putDay(ctx: ArchiveContext, day: string, group: Entry[]): Promise<Placed[]> {
  const base = await ctx.kv.get<number>(seqKey(day));
  const unwritten = base
    ? await writeDay(
        ctx,
        day,
        group.map((entry) => plannedOf(day, entry, undefined)),
      )
    : undefined;
  const again = unwritten ? unwritten.map((u) => u.entry) : group;
  if (again.length === 0) return [];
  const places = await getInBatches<[string, number]>(
    ctx.kv,
    again.map((e) => pointerKey(e.item.key)),
  );
  const placed = again.flatMap((entry, i) =>
    places[i] ? [{ day: places[i][0], ord: places[i][1], entry }] : [],
  );
  const records = await getInBatches<ArchiveRecord>(
    ctx.kv,
    placed.map((p) => slotKey(p.day, p.ord)),
  );
  const known = placed.filter((p, i) => records[i]?.item?.key === p.entry.item.key);
  const knownKeys = new Set(known.map((k) => k.entry.item.key));
  const fresh = again.flatMap((entry, i) =>
    knownKeys.has(entry.item.key) ? [] : [plannedOf(day, entry, places[i])],
  );
  if (fresh.length === 0) return known;
  // Listed before anything names the day: a listed day with nothing in it yet is harmless.
  if (!base) await addDay(ctx, day);
  return [...known, ...(await writeDay(ctx, day, fresh))];
}

interface Planned {
  entry: Entry;
  /** The lists it is appended to (word lists are appended to through the day's postings). */
  lists: string[];
  record: ArchiveRecord;
  /** The pointer the item had when it was planned, if any: a stale one it may replace. */
  before: [string, number] | undefined;
  words: string[];
}

function plannedOf(day: string, entry: Entry, before: [string, number] | undefined): Planned {
  const lists = [
    listName(day, { kind: 'all' }),
    listName(day, { kind: 'feed', id: entry.item.feedId }),
    ...entry.matches.map((m) => listName(day, { kind: 'topic', id: m.topicId })),
  ];
  const record: ArchiveRecord = { item: entry.item, matches: entry.matches };
  return { entry, lists, record, before, words: indexWords(entry.item, entry.tokens) };
}

/**
 * One atomic update that writes the planned items whose pointers are as they were planned, with
 * the day's sequence, lists and postings; returns the items whose pointers were not (another
 * writer's, or found where none was expected), which it leaves alone. The day is listed already.
 */
async function writeDay(ctx: ArchiveContext, day: string, planned: Planned[]): Promise<Placed[]> {
  const { kv, ttlMs } = ctx;
  const names = [...new Set(planned.flatMap((p) => p.lists))];
  const pointers = planned.map((p) => pointerKey(p.entry.item.key));
  const keys = [seqKey(day), pendingKey(day), PENDING_DAYS_KEY, ...pointers, ...names];
  const listed = 3 + planned.length;
  const { taken, pending } = await kv.update(keys, (values) => {
    const seq = (values[0] as number | undefined) ?? 0;
    const queued = (values[1] as number[] | undefined) ?? [];
    const now = values.slice(3, listed) as Array<[string, number] | undefined>;
    const heads = new Map(names.map((name, i) => [name, values[listed + i]]));
    const taken: Placed[] = [];
    const writing: Planned[] = [];
    planned.forEach((p, i) => {
      const at = now[i];
      if (at && (at[0] !== p.before?.[0] || at[1] !== p.before?.[1]))
        taken.push({ day: at[0], ord: at[1], entry: p.entry });
      else writing.push(p);
    });
    if (writing.length === 0) return { writes: [], result: { taken, pending: queued.length } };
    const appends = new Map<string, number[]>();
    const pointerWrites: Write[] = [];
    const recordWrites: Write[] = [];
    const words: Array<{ words: string[]; packed: number }> = [];
    writing.forEach((p, i) => {
      const ord = seq + i;
      const packed = packSlot(ord, publishedMs(p.entry.item), day);
      for (const name of p.lists) pushTo(appends, name, packed);
      words.push({ words: p.words, packed });
      pointerWrites.push({ key: pointerKey(p.entry.item.key), value: [day, ord], ttlMs });
      recordWrites.push({ key: slotKey(day, ord), value: p.record, ttlMs });
    });
    // Small values together and records after them: on SQLite new rows fill pages in this order,
    // and pointers and heads packed apart from the large records are fewer pages to rewrite.
    const writes: Write[] = [
      { key: seqKey(day), value: seq + writing.length, ttlMs },
      { key: pendingKey(day), value: [...queued, seq], ttlMs },
      { key: postingsKey(day, seq), value: postingsOf(words), ttlMs },
      ...listPendingDay(values[2], day, true),
      ...pointerWrites,
      ...listWrites(heads, appends, ttlMs),
      ...recordWrites,
    ];
    return { writes, result: { taken, pending: queued.length + 1 } };
  });
  if (pending >= MERGE_AT) await compactDay(kv, day, ttlMs);
  return taken;
}

function pushTo(map: Map<string, number[]>, name: string, packed: number): void {
  const list = map.get(name);
  if (list) list.push(packed);
  else map.set(name, [packed]);
}

/** The head (and sealed chunk) writes that append `appends` to lists whose heads were read. */
function listWrites(
  heads: Map<string, unknown>,
  appends: Map<string, number[]>,
  ttlMs: number,
): Write[] {
  return [...appends].flatMap(([name, added]) =>
    appendWrites(name, checkHead(name, heads.get(name)), added).writes.map((w) => ({
      ...w,
      ttlMs,
    })),
  );
}

async function addDay(ctx: ArchiveContext, day: string): Promise<void> {
  await ctx.kv.update([DAYS_KEY], ([listed]) => {
    const days = (listed as string[] | undefined) ?? [];
    return {
      writes: days.includes(day) ? [] : [{ key: DAYS_KEY, value: [...days, day].sort() }],
      result: undefined,
    };
  });
}

/** An item written again keeps its place; topics it now matches join their lists. */
async function mergeMatches(
  ctx: ArchiveContext,
  day: string,
  group: Array<{ ord: number; entry: Entry }>,
) {
  const slots = group.map((g) => slotKey(day, g.ord));
  const names = [
    ...new Set(
      group.flatMap((g) =>
        g.entry.matches.map((m) => listName(day, { kind: 'topic', id: m.topicId })),
      ),
    ),
  ];
  if (names.length === 0) return;
  await ctx.kv.update([...slots, ...names], (values) => {
    const heads = new Map(names.map((name, i) => [name, values[slots.length + i]]));
    const appends = new Map<string, number[]>();
    const writes: Write[] = [];
    group.forEach(({ ord, entry }, i) => {
      const record = values[i] as ArchiveRecord | undefined;
      if (!record) return;
      const had = new Set(record.matches.map((m) => m.topicId));
      const added = entry.matches.filter((m) => !had.has(m.topicId));
      if (added.length === 0) return;
      const packed = packSlot(ord, publishedMs(record.item), day);
      for (const m of added)
        pushTo(appends, listName(day, { kind: 'topic', id: m.topicId }), packed);
      const value = { ...record, matches: [...record.matches, ...added] };
      writes.push({ key: slotKey(day, ord), value, ttlMs: ctx.ttlMs });
    });
    if (writes.length > 0) writes.push(...listWrites(heads, appends, ctx.ttlMs));
    return { writes, result: undefined };
  });
}
