/**
 * Which story an item belongs to, decided through an index rather than a scan, so the cost of a
 * decision follows the window (72 h), not the archive (layout: story-index-records.ts).
 *
 * A batch of items (a feed's new items) is decided in four round trips, whatever its size: one
 * `getMany` for the items' earlier decisions and the window's sequence, link and band keys, one
 * for the candidates the bands point at (at most MAX_CANDIDATES per item), one for the stories
 * joined, and one `setMany` with every write, the items' decisions last (one statement, so
 * atomic, on SQLite). Items of one batch see each other: two reports of one story arriving
 * together are one story. Batches are serialised in-process, since they append to shared buckets.
 */
import type { Item } from '../domain/item';
import { type StoryFeatures, storyFeatures } from '../stories/features';
import { bestMatch, STORY_WINDOW_MS } from '../stories/same-story';
import { DAY_MS, dayOf } from './archive-slot';
import { digest } from './hash';
import type { KV } from './kv';
import { KeyedMutex } from './mutex';
import {
  appended,
  bucketKeysOf,
  DAYS_KEY,
  fromRecord,
  itemStoryKey,
  linkKey,
  type MemberRecord,
  memberIndexKeys,
  memberKey,
  seqKey,
  storyRecordKey,
  toRecord,
} from './story-index-records';

const MAX_CANDIDATES = 12;
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
  /** Several stories at once (undefined where one is unknown or expired). */
  stories(ids: string[]): Promise<Array<Story | undefined>>;
  /** Drops the index of days wholly before the window of `now`; decisions and stories age out with their TTLs. */
  prune(now: Date): Promise<{ days: number }>;
  /** Lists days written in bulk (`dayIndexRecords`), so decisions look at them. */
  addDays(days: string[]): Promise<void>;
}

interface Plan {
  item: Item;
  f: StoryFeatures;
  day: string;
  window: string[];
  candidates: string[];
}

export function createStoryIndex(kv: KV, options: StoryIndexOptions): StoryIndex {
  const mutex = new KeyedMutex();
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
    const window = [...new Set([...listed.filter((d) => d >= from && d <= to), day])];
    return { item, f: { ...features, at }, day, window, candidates: [] };
  }

  const linkKeys = (p: Plan) =>
    p.f.link === undefined ? [] : p.window.map((d) => linkKey(d, p.f.link!));

  async function decide(items: Item[]): Promise<StoryAssignment[]> {
    const listed = await days();
    const plans = items.map((item) => plan(item, listed));
    const values = new Map<string, unknown>();
    const fetch = async (keys: Iterable<string>) => {
      const missing = [...new Set(keys)].filter((k) => !values.has(k));
      const got = await kv.getMany<unknown>(missing);
      for (const [i, k] of missing.entries()) values.set(k, got[i]);
    };
    await fetch(
      plans.flatMap((p) => [
        itemStoryKey(p.item.key),
        seqKey(p.day),
        ...linkKeys(p),
        ...p.window.flatMap((d) => bucketKeysOf(d, p.f)),
      ]),
    );
    for (const p of plans) p.candidates = candidatesOf(p, values);
    await fetch(plans.flatMap((p) => p.candidates));

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
      const byLink = linkKeys(p)
        .map((k) => values.get(k))
        .find((v): v is string => typeof v === 'string');
      const stored = p.candidates
        .map((k) => values.get(k) as MemberRecord | undefined)
        .filter((r): r is MemberRecord => r !== undefined)
        .map((r) => ({ storyId: r.s, features: fromRecord(r) }));
      const found = byLink ?? bestMatch(p.f, [...stored, ...batch])?.storyId;
      const assignment = { storyId: found ?? newStoryId(p.item), first: found === undefined };
      const ord = (values.get(seqKey(p.day)) as number | undefined) ?? 0;
      put(seqKey(p.day), ord + 1);
      put(memberKey(p.day, ord), toRecord(p.f, assignment.storyId));
      for (const key of bucketKeysOf(p.day, p.f))
        put(key, appended(values.get(key) as number[] | undefined, ord));
      if (p.f.link !== undefined) put(linkKey(p.day, p.f.link), assignment.storyId);
      // Decided now, recorded below: every later item of the batch sees it.
      values.set(itemStoryKey(p.item.key), assignment);
      batch.push({ storyId: assignment.storyId, features: p.f });
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
    const fresh = recorded.map((d) => d.plan.day).filter((d) => !listed.includes(d));
    if (fresh.length) await saveDays([...listed, ...fresh]);
    await kv.setMany([...writes.values()]);
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
    stories: (ids) =>
      ids.length === 0 ? Promise.resolve([]) : kv.getMany<Story>(ids.map(storyRecordKey)),
    prune: (now) =>
      mutex.run('story', async () => {
        const firstKept = dayOf(now.getTime() - STORY_WINDOW_MS - DAY_MS);
        const expired = (await days()).filter((d) => d < firstKept);
        for (const day of expired) await pruneDay(kv, day);
        if (expired.length) await saveDays((await days()).filter((d) => d >= firstKept));
        return { days: expired.length };
      }),
    addDays: (list) => mutex.run('story', async () => saveDays([...(await days()), ...list])),
  };
}

/**
 * The members the item's bands point at, most shared bands first and, among equals, the newest;
 * at most MAX_CANDIDATES, however full the buckets.
 */
function candidatesOf(p: Plan, values: Map<string, unknown>): string[] {
  const votes = new Map<string, { day: string; ord: number; bands: number }>();
  for (const day of p.window) {
    for (const bucket of bucketKeysOf(day, p.f)) {
      const ords = values.get(bucket);
      if (!Array.isArray(ords)) continue;
      for (const ord of ords as number[]) {
        const key = memberKey(day, ord);
        const vote = votes.get(key) ?? { day, ord, bands: 0 };
        vote.bands++;
        votes.set(key, vote);
      }
    }
  }
  return [...votes]
    .sort(
      ([, a], [, b]) =>
        b.bands - a.bands || (a.day === b.day ? b.ord - a.ord : a.day < b.day ? 1 : -1),
    )
    .slice(0, MAX_CANDIDATES)
    .map(([key]) => key);
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
  return {
    ...base,
    sources: base.sources.length < MAX_SOURCES ? [...base.sources, source] : base.sources,
    sourceCount: base.sourceCount + 1,
  };
}

const PRUNE_BATCH = 500;

/** Members first give the bucket and link keys to delete; the members and the sequence go last. */
async function pruneDay(kv: KV, day: string): Promise<void> {
  const count = (await kv.get<number>(seqKey(day))) ?? 0;
  for (let from = 0; from < count; from += PRUNE_BATCH) {
    const keys = Array.from({ length: Math.min(PRUNE_BATCH, count - from) }, (_, i) =>
      memberKey(day, from + i),
    );
    const records = await kv.getMany<MemberRecord>(keys);
    const indexKeys = new Set(
      records.flatMap((r) => (r === undefined ? [] : memberIndexKeys(day, r))),
    );
    await kv.deleteMany([...indexKeys]);
    await kv.deleteMany(keys);
  }
  await kv.delete(seqKey(day));
}
