/**
 * Retention. Whole days are removed once every item in them is older than the window: the day
 * index (`arch:days`) says which days exist, the day's sequence says how many places it handed
 * out, each record names its feed and topics, the day's vocabulary rows its word lists (records
 * written before them list their own words), and the day's pending and merged lists name its
 * unfolded word postings — so a prune reads only the expired days, never the rest of the
 * archive.
 * Keys also carry TTLs, but SQLite and PostgreSQL only drop expired values when they are read
 * again, so this is what frees the space. A prune also folds the word postings left pending on
 * days that have ended (archive-fold.ts).
 *
 * A prune interrupted halfway is finished by the next one: lists go first (found through the
 * records), then records and pointers, then the day's entry in the index. A put into an expired
 * day from another process while it is pruned (an old item arriving late) lists the day again,
 * so whatever it left is removed by the next prune.
 */
import type { ArchiveContext } from './archive-context';
import type { ArchiveRecord } from './archive-record';
import { DAYS_KEY, listName, pointerKey, seqKey, slotKey } from './archive-index';
import { chunkKeys, deleteInBatches, getInBatches, readHeads } from './archive-list';
import { dayOf } from './archive-slot';
import { foldDay } from './archive-fold';
import {
  listPendingDay,
  mergedKeys,
  mergedRowKey,
  PENDING_DAYS_KEY,
  pendingKey,
  postingsKey,
  SHARDS,
  vocabularyKey,
} from './archive-postings';

export interface PruneReport {
  /** Days removed. */
  days: number;
  /** Items removed. */
  items: number;
}

const BATCH = 250;

export async function pruneArchive(
  ctx: ArchiveContext,
  retentionMs: number,
  now: Date,
): Promise<PruneReport> {
  // A day is expired when it ended before the window began, i.e. it is before the window's first day.
  const firstKept = dayOf(Math.max(0, now.getTime() - retentionMs));
  const expired = ((await ctx.kv.get<string[]>(DAYS_KEY)) ?? []).filter((d) => d < firstKept);
  await foldEndedDays(ctx, firstKept, dayOf(now.getTime()));
  let items = 0;
  for (const day of expired) {
    items += await ctx.mutex.run(day, () => pruneDay(ctx, day));
    await ctx.kv.update([DAYS_KEY], ([listed]) => ({
      writes: [
        { key: DAYS_KEY, value: ((listed as string[] | undefined) ?? []).filter((d) => d !== day) },
      ],
      result: undefined,
    }));
  }
  return { days: expired.length, items };
}

/**
 * Folds what is pending on days from `first` that ended before `today`: no more batches will
 * fill their last fold, and their readers then merge nothing.
 */
async function foldEndedDays(ctx: ArchiveContext, first: string, today: string): Promise<void> {
  const ended = ((await ctx.kv.get<string[]>(DAYS_KEY)) ?? []).filter(
    (d) => d >= first && d < today,
  );
  const listed = new Set((await ctx.kv.get<string[]>(PENDING_DAYS_KEY)) ?? []);
  for (const day of ended.filter((d) => listed.has(d)))
    await ctx.mutex.run(day, () => foldDay(ctx.kv, day, ctx.ttlMs));
}

async function pruneDay(ctx: ArchiveContext, day: string): Promise<number> {
  const { kv } = ctx;
  const allList = listName(day, { kind: 'all' });
  const [allHead] = await readHeads(kv, [allList]);
  const places = Math.max((await kv.get<number>(seqKey(day))) ?? 0, allHead?.n ?? 0);

  const lists = new Set([allList]);
  const owned: Array<{ ord: number; key: string }> = [];
  for (let from = 0; from < places; from += BATCH) {
    const ords = Array.from({ length: Math.min(BATCH, places - from) }, (_, i) => from + i);
    const records = await getInBatches<ArchiveRecord>(
      kv,
      ords.map((ord) => slotKey(day, ord)),
    );
    records.forEach((r, i) => {
      if (!r?.item) return;
      owned.push({ ord: ords[i] as number, key: r.item.key });
      lists.add(listName(day, { kind: 'feed', id: r.item.feedId }));
      for (const m of r.matches ?? []) lists.add(listName(day, { kind: 'topic', id: m.topicId }));
      for (const name of r.words ?? []) lists.add(listName(day, { kind: 'word', name }));
    });
  }
  const vocabularies = Array.from({ length: SHARDS }, (_, shard) => vocabularyKey(day, shard));
  for (const words of await getInBatches<string[]>(kv, vocabularies))
    for (const name of words ?? []) lists.add(listName(day, { kind: 'word', name }));

  const names = [...lists];
  const heads = await readHeads(kv, names);
  const [pending, ...merged] = await getInBatches<number[]>(kv, [
    pendingKey(day),
    ...mergedKeys(day),
  ]);
  await deleteInBatches(kv, [
    ...names.flatMap((name, i) => chunkKeys(name, heads[i]?.n ?? 0)),
    ...names,
    ...(pending ?? []).map((first) => postingsKey(day, first)),
    ...merged.flatMap((groups, shard) =>
      (groups ?? []).map((first) => mergedRowKey(day, first, shard)),
    ),
    pendingKey(day),
    ...mergedKeys(day),
    // After the lists they name: a prune interrupted before this finds them again.
    ...vocabularies,
  ]);
  // Unlisted only if nothing was written to the day since (a late put lists it again).
  await kv.update([PENDING_DAYS_KEY, pendingKey(day), ...mergedKeys(day)], ([listed, ...now]) => ({
    writes: listPendingDay(
      listed,
      day,
      now.some((v) => v !== undefined),
    ),
    result: undefined,
  }));

  // A pointer is removed only if it still names this day's place (not a later re-write elsewhere).
  const pointers = await getInBatches<[string, number]>(
    kv,
    owned.map((o) => pointerKey(o.key)),
  );
  const stale = owned
    .filter((o, i) => pointers[i]?.[0] === day && pointers[i]?.[1] === o.ord)
    .map((o) => pointerKey(o.key));
  const slots = Array.from({ length: places }, (_, ord) => slotKey(day, ord));
  await deleteInBatches(kv, [...stale, ...slots, seqKey(day)]);
  return owned.length;
}
