/**
 * The archive's write path. A batch (one feed poll) is written day by day, under that day's lock:
 *
 *   1. reserve ordinals (`arch:seq:{day}`), so a place is never handed out twice even if a
 *      crash interrupts what follows;
 *   2. point each item key at its place;
 *   3. append the places to the day's lists: all items, the feed, each matched topic, each word;
 *   4. write the records. A record is the commit: an item whose pointer exists but whose record
 *      does not was interrupted, and is written again at a new place (its old place has no record,
 *      so readers skip it; a count may be one too high until the day expires).
 *
 * On SQLite the four steps are one transaction (KV.transaction), so a crash leaves all or none of
 * them; on Redis and PostgreSQL they commit one by one, and the order above is what keeps them safe.
 *
 * Write amplification per batch: one record and one pointer per item, plus one head rewrite per
 * list touched (the day, the feed, its topics, and the distinct words of the batch's titles and
 * descriptions). A head holds at most CHUNK entries, so a rewrite is bounded however large the
 * day grows; larger batches share their heads.
 *
 * So batches are made larger where they can be: puts for a day that arrive while that day's lock
 * is held (the worker archives several feeds at once) join one batch, written as one when the
 * lock comes free, and each caller returns when that write is done. Words most items share are
 * then rewritten once for all of them: 160 items in one batch cost half as much per item as the
 * same items in batches of 20. The order of the writes, and so the crash-safety argument above,
 * is the same for a joined batch as for one caller's.
 */
import type { Item } from '../domain/item';
import type { ArchiveContext, Batch, Entry, Placed } from './archive-context';
import type { ArchiveRecord } from './archive-record';
import {
  DAYS_KEY,
  indexWords,
  listName,
  pointerKey,
  seqKey,
  slotKey,
  type IndexRef,
} from './archive-index';
import { appendWrites, getInBatches, readHeads, type KeyValue } from './archive-list';
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
        item: seen.item,
        matches: [...seen.matches, ...e.matches.filter((m) => !topics.has(m.topicId))],
      });
    }
  }
  return [...byKey.values()];
}

/** Writes the new items of one day; returns those already archived, with their places. */
async function putDay(ctx: ArchiveContext, day: string, group: Entry[]): Promise<Placed[]> {
  const { kv, ttlMs } = ctx;
  const places = await getInBatches<[string, number]>(
    kv,
    group.map((e) => pointerKey(e.item.key)),
  );
  const placed = group.flatMap((entry, i) =>
    places[i] ? [{ day: places[i][0], ord: places[i][1], entry }] : [],
  );
  const records = await getInBatches<ArchiveRecord>(
    kv,
    placed.map((p) => slotKey(p.day, p.ord)),
  );
  const known = placed.filter((p, i) => records[i]?.item?.key === p.entry.item.key);
  const knownKeys = new Set(known.map((k) => k.entry.item.key));
  const fresh = group.filter((e) => !knownKeys.has(e.item.key));
  if (fresh.length === 0) return known;

  const base = (await kv.get<number>(seqKey(day))) ?? 0;
  if (base === 0) await addDay(ctx, day);

  const appends = new Map<string, number[]>();
  const add = (index: IndexRef, packed: number) => pushTo(appends, listName(day, index), packed);
  const writes = fresh.map((entry, i) => {
    const ord = base + i;
    const packed = packSlot(ord, publishedMs(entry.item), day);
    const words = indexWords(entry.item);
    add({ kind: 'all' }, packed);
    add({ kind: 'feed', id: entry.item.feedId }, packed);
    for (const m of entry.matches) add({ kind: 'topic', id: m.topicId }, packed);
    for (const name of words) add({ kind: 'word', name }, packed);
    const record: ArchiveRecord = { item: entry.item, matches: entry.matches, words };
    return {
      pointer: { key: pointerKey(entry.item.key), value: [day, ord], ttlMs },
      record: { key: slotKey(day, ord), value: record, ttlMs },
    };
  });
  await kv.transaction(async (tx) => {
    await tx.set(seqKey(day), base + fresh.length, ttlMs);
    await tx.setMany(writes.map((w) => w.pointer));
    await appendToLists({ ...ctx, kv: tx }, appends);
    await tx.setMany(writes.map((w) => w.record));
  });
  return known;
}

function pushTo(map: Map<string, number[]>, name: string, packed: number): void {
  const list = map.get(name);
  if (list) list.push(packed);
  else map.set(name, [packed]);
}

async function appendToLists(ctx: ArchiveContext, appends: Map<string, number[]>): Promise<void> {
  const names = [...appends.keys()];
  const heads = await readHeads(ctx.kv, names);
  const writes: KeyValue[] = names.flatMap(
    (name, i) => appendWrites(name, heads[i], appends.get(name) ?? []).writes,
  );
  await ctx.kv.setMany(writes.map((w) => ({ ...w, ttlMs: ctx.ttlMs })));
}

async function addDay(ctx: ArchiveContext, day: string): Promise<void> {
  await ctx.mutex.run(DAYS_KEY, async () => {
    const days = (await ctx.kv.get<string[]>(DAYS_KEY)) ?? [];
    if (!days.includes(day)) await ctx.kv.set(DAYS_KEY, [...days, day].sort());
  });
}

/** An item written again keeps its place; topics it now matches join their lists. */
async function mergeMatches(
  ctx: ArchiveContext,
  day: string,
  group: Array<{ ord: number; entry: Entry }>,
) {
  const records = await getInBatches<ArchiveRecord>(
    ctx.kv,
    group.map((g) => slotKey(day, g.ord)),
  );
  const appends = new Map<string, number[]>();
  const updated: KeyValue[] = [];
  group.forEach(({ ord, entry }, i) => {
    const record = records[i];
    if (!record) return;
    const had = new Set(record.matches.map((m) => m.topicId));
    const added = entry.matches.filter((m) => !had.has(m.topicId));
    if (added.length === 0) return;
    const packed = packSlot(ord, publishedMs(record.item), day);
    for (const m of added) pushTo(appends, listName(day, { kind: 'topic', id: m.topicId }), packed);
    updated.push({
      key: slotKey(day, ord),
      value: { ...record, matches: [...record.matches, ...added] },
    });
  });
  if (updated.length === 0) return;
  await ctx.kv.transaction(async (tx) => {
    await appendToLists({ ...ctx, kv: tx }, appends);
    await tx.setMany(updated.map((u) => ({ ...u, ttlMs: ctx.ttlMs })));
  });
}
