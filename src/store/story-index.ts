/**
 * Which story an item belongs to, decided through an index rather than a scan, so the cost of a
 * decision follows the window (72 h), not the archive (layout: story-index-records.ts).
 *
 * The store keeps an append-only log of each day's members; the bands and links that find them
 * are kept in memory for the window's days (story-window.ts), derived from that log. A batch of
 * items (a feed's new items) then costs a few small round trips, whatever its size and however
 * full the window: the items' earlier decisions and the window days' log lengths, the candidates
 * (at most MAX_CANDIDATES per item), the stories joined, and one `setMany` with every write, the
 * items' decisions last (one transaction, so atomic, on SQLite). Items of one batch see each
 * other: two reports of one story arriving together are one story.
 *
 * Batches are serialised in-process, since they append to the days' logs. Several processes
 * deciding at once would need the read of the log lengths, the decisions and the writes to be one
 * atomic step, retried when a length moved: the memory catches up from the log by itself.
 */
import type { Item } from '../domain/item';
import { type StoryFeatures, storyFeatures } from '../stories/features';
import { bestMatch, SAME_LINK, STORY_WINDOW_MS, storyMatch } from '../stories/same-story';
import { DAY_MS, dayOf } from './archive-slot';
import { digest } from './hash';
import type { KV } from './kv';
import { KeyedMutex } from './mutex';
import {
  DAYS_KEY,
  fromRecord,
  itemStoryKey,
  legacyIndexKeys,
  type MemberRecord,
  memberKey,
  seqKey,
  storyRecordKey,
  toRecord,
} from './story-index-records';
import { meet, StoryWindow, type WindowMember } from './story-window';

/**
 * Members an item is compared with, those sharing the most bands first. A report of the same
 * event shares most of its bands with the first and ranks first; on a busy day the rest are other
 * news that shares a pair of names (a million items over half a year filled 12 slots on every
 * decision, 2–3 at 10k), and every slot is a read and a comparison.
 */
const MAX_CANDIDATES = 6;
const MAX_SOURCES = 50;

export interface StorySource {
  feedId: string;
  itemKey: string;
  title: string;
  link?: string;
  publishedAt: string;
}

export interface Story {
  id: string;
  firstSeen: string;
  /** In arrival order, the first source first; at most MAX_SOURCES (later ones are only counted). */
  sources: StorySource[];
  sourceCount: number;
}

export interface StoryAssignment {
  storyId: string;
  /** The item started its story (it is the story's first source). */
  first: boolean;
}

/** A new story's id: derived from the item that starts it, so deciding twice names it alike. */
export const newStoryId = (item: Pick<Item, 'key'>) => digest(`story\n${item.key}`, 16);

export interface StoryIndexOptions {
  /** How long item → story and story records are kept: the archive's retention. */
  retentionMs: number;
}

export interface StoryIndex {
  /**
   * Each item's story, in order: the one decided for it before; else the story of an item within
   * the window with the same canonical link, or of its best near-duplicate; else a new story it
   * starts. Deciding again (after a crash, on a retry) answers the same and records nothing twice.
   */
  assign(items: Item[]): Promise<StoryAssignment[]>;
  /** The stories already decided for these items (undefined where none was). */
  storiesOf(itemKeys: string[]): Promise<Array<string | undefined>>;
  story(id: string): Promise<Story | undefined>;
  /** Drops the index of days wholly before the window of `now`; decisions and stories age out with their TTLs. */
  prune(now: Date): Promise<{ days: number }>;
  /** Lists days written in bulk (`dayIndexRecords`), so decisions look at them. */
  addDays(days: string[]): Promise<void>;
}

interface Plan {
  item: Item;
  f: StoryFeatures;
  day: string;
  /** The days within the window of the item's time, in order: where its candidates are. */
  window: string[];
  candidates: WindowMember[];
}

export function createStoryIndex(kv: KV, options: StoryIndexOptions): StoryIndex {
  const mutex = new KeyedMutex();
  const memory = new StoryWindow(kv);
  /** The newest publication time decided: days wholly before its window are dropped from memory. */
  let newest = 0;
  let knownDays: string[] | undefined;
  const days = async () => (knownDays ??= (await kv.get<string[]>(DAYS_KEY)) ?? []);
  const saveDays = async (list: string[]) => {
    knownDays = [...new Set(list)].sort();
    await kv.set(DAYS_KEY, knownDays);
  };

  function plan(item: Item, listed: string[]): Plan {
    const features = storyFeatures(item);
    const at = Number.isFinite(features.at) ? features.at : Date.now();
    const day = dayOf(at);
    const from = dayOf(Math.max(0, at - STORY_WINDOW_MS));
    const to = dayOf(at + STORY_WINDOW_MS);
    const window = [...new Set([...listed.filter((d) => d >= from && d <= to), day])].sort();
    return { item, f: { ...features, at }, day, window, candidates: [] };
  }

  /**
   * Round trips: the items' earlier decisions and the window days' log lengths; the members the
   * memory lacks, if another process or a failed write left it behind; the members with the
   * items' links; the members sharing their bands, for items without a link filed in time; the
   * stories joined; then every write at once, the items' decisions last.
   */
  async function decide(items: Item[]): Promise<StoryAssignment[]> {
    const listed = await days();
    const plans = items.map((item) => plan(item, listed));
    const windowDays = [...new Set(plans.flatMap((p) => p.window))];
    const values = new Map<string, unknown>();
    const fetch = async (keys: Iterable<string>) => {
      const missing = [...new Set(keys)].filter((k) => !values.has(k));
      const got = await kv.getMany<unknown>(missing);
      for (const [i, k] of missing.entries()) values.set(k, got[i]);
    };
    await fetch([...plans.map((p) => itemStoryKey(p.item.key)), ...windowDays.map(seqKey)]);
    await memory.sync(
      new Map(windowDays.map((d) => [d, (values.get(seqKey(d)) as number | undefined) ?? 0])),
    );
    const records = (members: WindowMember[]) =>
      members
        .map((c) => values.get(memberKey(c.day, c.ord)) as MemberRecord | undefined)
        .filter((r): r is MemberRecord => r !== undefined)
        .map((r) => ({ storyId: r.s, features: fromRecord(r) }));
    for (const p of plans) p.candidates = memory.linked(p.window, p.f);
    await fetch(plans.flatMap((p) => p.candidates.map((c) => memberKey(c.day, c.ord))));
    // An item whose link is filed within its time has its story: no band can outrank the link.
    for (const p of plans) {
      if (records(p.candidates).some((c) => storyMatch(p.f, c.features) === SAME_LINK)) continue;
      const room = MAX_CANDIDATES - p.candidates.length;
      p.candidates.push(...memory.alike(p.window, p.f, room, p.candidates));
    }
    await fetch(plans.flatMap((p) => p.candidates.map((c) => memberKey(c.day, c.ord))));

    const writes = new Map<string, { key: string; value: unknown; ttlMs?: number }>();
    const put = (key: string, value: unknown, ttlMs?: number) => {
      values.set(key, value);
      writes.set(key, { key, value, ...(ttlMs !== undefined && { ttlMs }) });
    };
    const batch: Array<{ storyId: string; features: StoryFeatures }> = [];
    const decided: Array<{ plan: Plan; assignment: StoryAssignment; recorded: boolean }> = [];
    for (const p of plans) {
      const earlier = values.get(itemStoryKey(p.item.key)) as StoryAssignment | undefined;
      if (earlier) {
        decided.push({ plan: p, assignment: earlier, recorded: false });
        continue;
      }
      const stored = records(p.candidates);
      // Items of the batch see each other, found as the index would find them.
      const together = batch.filter((b) => meet(p.f, b.features));
      const storyId = bestMatch(p.f, [...stored, ...together])?.storyId ?? newStoryId(p.item);
      // Its own story when it started it, also when a crash cut the last decision short.
      const assignment = { storyId, first: storyId === newStoryId(p.item) };
      const ord = memory.next(p.day);
      memory.add(p.day, ord, p.f);
      put(memberKey(p.day, ord), toRecord(p.f, storyId));
      put(seqKey(p.day), ord + 1);
      // Decided now, recorded below: every later item of the batch sees it.
      values.set(itemStoryKey(p.item.key), assignment);
      batch.push({ storyId, features: p.f });
      decided.push({ plan: p, assignment, recorded: true });
    }

    const recorded = decided.filter((d) => d.recorded);
    await fetch(
      recorded.filter((d) => !d.assignment.first).map((d) => storyRecordKey(d.assignment.storyId)),
    );
    for (const { plan: p, assignment } of recorded) {
      const key = storyRecordKey(assignment.storyId);
      put(
        key,
        withSource(values.get(key) as Story | undefined, assignment.storyId, p.item),
        options.retentionMs,
      );
    }
    for (const { plan: p, assignment } of recorded)
      put(itemStoryKey(p.item.key), assignment, options.retentionMs);
    // A day is listed before anything is filed under it, so a prune always finds what it holds.
    const fresh = [...new Set(recorded.map((d) => d.plan.day))].filter((d) => !listed.includes(d));
    if (fresh.length) await saveDays([...listed, ...fresh]);
    // Should this fail, the memory holds members the store lacks: the next sync sees the log
    // shorter than the memory and reads the day again.
    await kv.setMany([...writes.values()]);
    newest = Math.max(newest, ...plans.map((p) => p.f.at));
    memory.forgetBefore(dayOf(Math.max(0, newest - STORY_WINDOW_MS - DAY_MS)));
    return decided.map((d) => d.assignment);
  }

  return {
    assign: (items) =>
      items.length === 0 ? Promise.resolve([]) : mutex.run('story', () => decide(items)),
    async storiesOf(itemKeys) {
      const values = await kv.getMany<StoryAssignment>(itemKeys.map(itemStoryKey));
      return values.map((v) => v?.storyId);
    },
    story: (id) => kv.get<Story>(storyRecordKey(id)),
    prune: (now) =>
      mutex.run('story', async () => {
        const firstKept = dayOf(now.getTime() - STORY_WINDOW_MS - DAY_MS);
        const expired = (await days()).filter((d) => d < firstKept);
        for (const day of expired) await pruneDay(kv, day);
        memory.forget(expired);
        if (expired.length) await saveDays((await days()).filter((d) => d >= firstKept));
        return { days: expired.length };
      }),
    addDays: (list) => mutex.run('story', async () => saveDays([...(await days()), ...list])),
  };
}

function withSource(story: Story | undefined, id: string, item: Item): Story {
  const source: StorySource = {
    feedId: item.feedId,
    itemKey: item.key,
    title: item.title,
    publishedAt: item.publishedAt,
    ...(item.link !== undefined && { link: item.link }),
  };
  const base = story ?? { id, firstSeen: item.publishedAt, sources: [], sourceCount: 0 };
  // Listed already when a crash came after the story's write and before the item's decision.
  if (base.sources.some((s) => s.itemKey === item.key)) return base;
  return {
    ...base,
    sources: base.sources.length < MAX_SOURCES ? [...base.sources, source] : base.sources,
    sourceCount: base.sourceCount + 1,
  };
}

const PRUNE_BATCH = 500;

/**
 * The members go, then the sequence; members of the earlier layout first give the bucket and link
 * keys it filed them under.
 */
async function pruneDay(kv: KV, day: string): Promise<void> {
  const count = (await kv.get<number>(seqKey(day))) ?? 0;
  for (let from = 0; from < count; from += PRUNE_BATCH) {
    const keys = Array.from({ length: Math.min(PRUNE_BATCH, count - from) }, (_, i) =>
      memberKey(day, from + i),
    );
    const records = await kv.getMany<MemberRecord>(keys);
    const legacy = new Set(
      records.flatMap((r) => (r === undefined ? [] : legacyIndexKeys(day, r))),
    );
    await kv.deleteMany([...legacy]);
    await kv.deleteMany(keys);
  }
  await kv.delete(seqKey(day));
}
