/**
 * Which story an item belongs to, decided through an index rather than a scan, so the cost of a
 * decision follows the window (72 h), not the archive (layout: story-index-records.ts).
 *
 * The store keeps an append-only log of each day's members; the bands and links that find them
 * are kept in memory for the window's days (story-window.ts), derived from that log. A batch of
 * items (a feed's new items) then costs a few small round trips, whatever its size and however
 * full the window: the window days' log lengths, the candidates (at most MAX_CANDIDATES per item),
 * and one `KV.update` that reads the items' decisions and the stories joined and writes everything
 * at once, the items' decisions last. Items of one batch see each other: two reports of one story
 * arriving together are one story.
 *
 * The items' earlier decisions are not read before deciding: a batch is new items (the poll asks
 * only about items it has not marked seen), and the update reads their decision keys anyway, to
 * write nothing over a decision made meanwhile. An item found decided there — a batch decided
 * again after a crash, or by another process — makes the batch start over, reading the decisions
 * first and answering them.
 *
 * Several processes may decide at once: the update commits only if no window day's log grew, no
 * item was decided and the days list did not change since the decision read them; otherwise
 * nothing is written and the batch is decided again, the memory catching up from the log. Two
 * reports of one event decided at once by two processes are then one story. In one process,
 * batches take turns (a mutex), since they share the memory.
 */
import type { Item } from '../domain/item';
import { StoreError } from '../errors';
import { canonicalLink } from '../feeds/item-key';
import {
  featureText,
  type StoryFeatures,
  type TextFeatures,
  textFeatures,
} from '../stories/features';
import type { Token } from '../topics/tokenize';
import { bestMatch, STORY_WINDOW_MS, sameLink } from '../stories/same-story';
import { DAY_MS, dayOf } from './archive-slot';
import { digest } from './hash';
import type { Write } from './atomic';
import type { KV } from './kv';
import { KeyedMutex } from './mutex';
import {
  DAYS_KEY,
  fromRecord,
  itemStoryKey,
  legacyIndexKeys,
  type MemberRecord,
  memberKey,
  reprintFeatures,
  seqKey,
  storyRecordKey,
  toRecord,
} from './story-index-records';
import {
  type Decision,
  decisionOf,
  readStories,
  type Story,
  type StoryAssignment,
  type StoryRecord,
  withSource,
} from './story-index-stories';
import { BatchIndex, StoryWindow, type WindowMember } from './story-window';

/**
 * Members an item is compared with, those sharing the most bands first. A report of the same
 * event shares most of its bands with the first and ranks first; on a busy day the rest are other
 * news that shares a pair of names (a million items over half a year filled 12 slots on every
 * decision, 2–3 at 10k), and every slot is a read and a comparison.
 */
const MAX_CANDIDATES = 6;
/** Attempts at a batch that meet other writers before the batch fails (the poll retries it). */
const MAX_ATTEMPTS = 10;

export type { Story, StoryAssignment, StorySource } from './story-index-stories';

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
   * `headlines`: each item's title tokens, when the matcher made them.
   */
  assign(items: Item[], headlines?: Token[][]): Promise<StoryAssignment[]>;
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

/** Why an attempt wrote nothing: what it rested on changed since it was read. */
type Moved = 'an item was decided' | 'the index grew';

/** What an attempt at a batch came to. */
type Attempt = { assignments: StoryAssignment[] } | { moved: Moved };

/** A member decided in this batch, not yet written. */
interface Filed {
  day: string;
  ord: number;
  f: StoryFeatures;
  /** The digest of its feature text, when it has a link (MemberRecord's `h`). */
  text?: string;
  storyId: string;
}

/**
 * What an item is planned by before its text is read, made once per batch: its time, canonical
 * link and the digest of its feature text; and its text's features once they were needed.
 */
interface Sketch {
  at: number;
  link?: string;
  text?: string;
  /** The title's tokens, when the matcher made them: what its own features are read from. */
  headline?: Token[];
  own?: TextFeatures;
}

function sketchOf(item: Item, headline: Token[] | undefined): Sketch {
  const at = Date.parse(item.publishedAt);
  const link = item.link ? canonicalLink(item.link) : undefined;
  if (link === undefined) return { at, headline };
  return { at, link, text: digest(featureText(item), 16), headline };
}

interface Plan {
  item: Item;
  /** The item's decision key and the id of the story it would start: digests, made once. */
  decisionKey: string;
  ownStoryId: string;
  sketch: Sketch;
  /** The item's time (now, when it has none). */
  at: number;
  /** Its features, once known (`features`): the member's it reprints, or its own text's. */
  f?: StoryFeatures;
  day: string;
  /** The days within the window of the item's time, in order: where its candidates are. */
  window: string[];
  candidates: WindowMember[];
  /** The story of the newest member with the item's link, when it is within the item's time. */
  linkedStory?: string;
}

export function createStoryIndex(kv: KV, options: StoryIndexOptions): StoryIndex {
  const mutex = new KeyedMutex();
  const memory = new StoryWindow(kv);
  /** The newest publication time decided: days wholly before its window are dropped from memory. */
  let newest = 0;
  /** The days list as last read or written; an update finding it changed reads it again. */
  let knownDays: string[] | undefined;
  const days = async () => (knownDays ??= (await kv.get<string[]>(DAYS_KEY)) ?? []);
  /** Changes the days list atomically (another process may add days while this one prunes). */
  const changeDays = (change: (list: string[]) => string[]) =>
    kv.update([DAYS_KEY], ([stored]) => {
      const list = [...new Set(change((stored as string[] | undefined) ?? []))].sort();
      return { writes: [{ key: DAYS_KEY, value: list }], result: list };
    });

  function plan(item: Item, sketch: Sketch, windowOf: WindowOf): Plan {
    const at = Number.isFinite(sketch.at) ? sketch.at : Date.now();
    const { day, window } = windowOf(at);
    return {
      item,
      decisionKey: itemStoryKey(item.key),
      ownStoryId: newStoryId(item),
      sketch,
      at,
      day,
      window,
      candidates: [],
    };
  }

  /**
   * One attempt at deciding a batch, or why it wrote nothing: one of its items was found decided,
   * or another process filed members or changed the days list since they were read.
   *
   * Round trips: the window days' log lengths (and the items' earlier decisions, when `decisions`
   * says an item was found decided); the members the memory lacks, if another process or a
   * failed write left it behind; the members with the items' links; the members sharing their
   * bands, for items without a link filed in time; then one `KV.update` over the days list, the
   * window days' log lengths, the items' decisions and the stories joined, which writes
   * everything only if none of those moved.
   */
  async function attempt(
    items: Item[],
    sketches: Sketch[],
    decisions: 'read' | 'unread',
  ): Promise<Attempt> {
    const listed = await days();
    const windowOf = windowsOf(listed);
    const plans = items.map((item, i) => plan(item, sketches[i]!, windowOf));
    const windowDays = [...new Set(plans.flatMap((p) => p.window))];
    const values = new Map<string, unknown>();
    const fetch = async (keys: Iterable<string>) => {
      const missing = [...new Set(keys)].filter((k) => !values.has(k));
      if (missing.length === 0) return; // as when every item's link settled its story
      const got = await kv.getMany<unknown>(missing);
      for (const [i, k] of missing.entries()) values.set(k, got[i]);
    };
    const decisionKeys = decisions === 'read' ? plans.map((p) => p.decisionKey) : [];
    await fetch([...decisionKeys, ...windowDays.map(seqKey)]);
    const lengths = new Map(
      windowDays.map((d) => [d, (values.get(seqKey(d)) as number | undefined) ?? 0]),
    );
    await memory.sync(lengths);
    const compared = new Map<string, { storyId: string; features: StoryFeatures }>();
    /** The members read, each parsed once (an item may compare with a member another one did). */
    const records = (members: WindowMember[]) =>
      members.flatMap((c) => {
        const key = memberKey(c.day, c.ord);
        let member = compared.get(key);
        const r = values.get(key) as MemberRecord | undefined;
        if (!member && r) compared.set(key, (member = { storyId: r.s, features: fromRecord(r) }));
        return member ? [member] : [];
      });
    for (const p of plans) p.candidates = memory.linked(p.window, p.sketch.link);
    // The newest member with the item's link is read first: when it is the item's story, as it
    // is for a link carried again, the others are not read at all.
    await fetch(plans.flatMap((p) => p.candidates.slice(0, 1).map((c) => memberKey(c.day, c.ord))));
    // An item whose link is filed within its time has its story: no band can outrank the link
    // (the decision below picks the first member of the best score, and a link scores most). The
    // link and the time tell; when the item's text is the member's too (a feed carrying the
    // story again), so are its features, and its text is not read.
    for (const p of plans) {
      const [newest] = p.candidates;
      const r =
        newest && (values.get(memberKey(newest.day, newest.ord)) as MemberRecord | undefined);
      const { link, text } = p.sketch;
      if (r && link !== undefined && sameLink({ at: p.at, link }, { at: r.at, link: r.l })) {
        p.linkedStory = r.s;
        if (r.h === text) p.f = reprintFeatures(r, p.at, link);
        continue;
      }
      const room = MAX_CANDIDATES - p.candidates.length;
      p.candidates.push(...memory.alike(p.window, features(p), room, p.candidates));
    }
    await fetch(
      plans.flatMap((p) =>
        p.linkedStory === undefined ? p.candidates.map((c) => memberKey(c.day, c.ord)) : [],
      ),
    );

    // Decided here from what was read; written below only if what it rests on has not moved.
    const next = new Map(lengths);
    const filed: Filed[] = [];
    const batch = new BatchIndex<Filed>();
    const decided: Array<{ plan: Plan; assignment: StoryAssignment; recorded: boolean }> = [];
    for (const p of plans) {
      const earlier = values.get(p.decisionKey) as Decision | undefined;
      if (earlier) {
        const assignment = { storyId: earlier.storyId, first: earlier.first };
        decided.push({ plan: p, assignment, recorded: false });
        continue;
      }
      // Items of the batch see each other, found as the index would find them (an item of the
      // batch with the same link scores no more than the member filed with it, which comes first).
      const storyId = p.linkedStory ?? decideAmong(p, records(p.candidates), batch);
      // Its own story when it started it, also when a crash cut the last decision short.
      const assignment = { storyId, first: storyId === p.ownStoryId };
      const ord = next.get(p.day)!;
      next.set(p.day, ord + 1);
      const member = { day: p.day, ord, f: features(p), text: p.sketch.text, storyId };
      filed.push(member);
      batch.add(member);
      // A repeat of the item later in the batch answers this.
      values.set(p.decisionKey, assignment);
      decided.push({ plan: p, assignment, recorded: true });
    }
    const recorded = decided.filter((d) => d.recorded);
    if (recorded.length === 0) return { assignments: decided.map((d) => d.assignment) };

    const seqKeys = windowDays.map(seqKey);
    const filing = recorded.map((d) => d.plan.decisionKey);
    const storyKeys = [...new Set(recorded.map((d) => storyRecordKey(d.assignment.storyId)))];
    const keys = [DAYS_KEY, ...seqKeys, ...filing, ...storyKeys];
    const written = await kv.update(keys, (read): { writes: Write[]; result: Moved | string[] } => {
      const stored = new Map(keys.map((k, i) => [k, read[i]]));
      if (filing.some((k) => stored.get(k) !== undefined))
        return { writes: [], result: 'an item was decided' };
      const daysNow = (stored.get(DAYS_KEY) as string[] | undefined) ?? [];
      const moved =
        daysNow.join() !== listed.join() ||
        windowDays.some(
          (d) => ((stored.get(seqKey(d)) as number | undefined) ?? 0) !== lengths.get(d),
        );
      if (moved) return { writes: [], result: 'the index grew' };
      const writes: Write[] = [];
      // A day is listed before anything is filed under it, so a prune always finds what it holds.
      const list = [...new Set([...listed, ...filed.map((m) => m.day)])].sort();
      if (list.length > listed.length) writes.push({ key: DAYS_KEY, value: list });
      for (const m of filed)
        writes.push({ key: memberKey(m.day, m.ord), value: toRecord(m.f, m.storyId, m.text) });
      for (const [day, length] of next)
        if (length !== lengths.get(day)) writes.push({ key: seqKey(day), value: length });
      const stories = new Map(storyKeys.map((k) => [k, stored.get(k) as StoryRecord | undefined]));
      for (const { plan: p, assignment } of recorded) {
        const key = storyRecordKey(assignment.storyId);
        stories.set(key, withSource(stories.get(key), assignment.storyId, p.item));
      }
      for (const [key, story] of stories)
        writes.push({ key, value: story, ttlMs: options.retentionMs });
      // The decisions last: on a backend that applies writes in order, a decision stored means
      // everything it rests on is.
      for (const { plan: p, assignment } of recorded)
        writes.push({
          key: p.decisionKey,
          value: decisionOf(p.item, assignment),
          ttlMs: options.retentionMs,
        });
      return { writes, result: list };
    });
    if (typeof written === 'string') {
      knownDays = undefined;
      return { moved: written };
    }
    knownDays = written;
    for (const m of filed) memory.add(m.day, m.ord, m.f);
    newest = Math.max(newest, ...plans.map((p) => p.at));
    memory.forgetBefore(dayOf(Math.max(0, newest - STORY_WINDOW_MS - DAY_MS)));
    return { assignments: decided.map((d) => d.assignment) };
  }

  /**
   * Attempts until one finds nothing moved; each attempt catches up with what moved, and once an
   * item was found decided, every later attempt reads the decisions first.
   */
  async function decide(items: Item[], headlines?: Token[][]): Promise<StoryAssignment[]> {
    const sketches = items.map((item, i) => sketchOf(item, headlines?.[i]));
    let decisions: 'read' | 'unread' = 'unread';
    for (let tries = 1; ; tries++) {
      const done = await attempt(items, sketches, decisions);
      if ('assignments' in done) return done.assignments;
      if (done.moved === 'an item was decided') decisions = 'read';
      if (tries === MAX_ATTEMPTS)
        throw new StoreError(`Story index: ${tries} attempts met other writers; try again later`);
    }
  }

  return {
    assign: (items, headlines) =>
      items.length === 0 ? Promise.resolve([]) : mutex.run('story', () => decide(items, headlines)),
    async storiesOf(itemKeys) {
      const values = await kv.getMany<StoryAssignment>(itemKeys.map(itemStoryKey));
      return values.map((v) => v?.storyId);
    },
    story: async (id) => (await readStories(kv, [id]))[0],
    stories: (ids) => readStories(kv, ids),
    prune: (now) =>
      mutex.run('story', async () => {
        const firstKept = dayOf(now.getTime() - STORY_WINDOW_MS - DAY_MS);
        const expired = (await days()).filter((d) => d < firstKept);
        for (const day of expired) await pruneDay(kv, day);
        memory.forget(expired);
        if (expired.length) knownDays = await changeDays((l) => l.filter((d) => d >= firstKept));
        return { days: expired.length };
      }),
    addDays: (list) =>
      mutex.run('story', async () => {
        knownDays = await changeDays((l) => [...l, ...list]);
      }),
  };
}

/** An item's features: those it was given (a reprint's), else its own text's, read once per batch. */
function features(p: Plan): StoryFeatures {
  p.f ??= {
    ...(p.sketch.own ??= textFeatures(p.item, p.sketch.headline)),
    at: p.at,
    ...(p.sketch.link !== undefined && { link: p.sketch.link }),
  };
  return p.f;
}

/**
 * The story of the best match among the members read and the batch's items found near, the
 * members first (of equal scores the first wins); the item's own when none matches.
 */
function decideAmong(
  p: Plan,
  stored: Array<{ storyId: string; features: StoryFeatures }>,
  batch: BatchIndex<Filed>,
): string {
  const f = features(p);
  const together = batch.near(f).map((b) => ({ storyId: b.storyId, features: b.f }));
  return bestMatch(f, [...stored, ...together])?.storyId ?? p.ownStoryId;
}

type WindowOf = (at: number) => { day: string; window: string[] };

/**
 * An item's day and the listed days within its window (its own day too, listed or not), in
 * order, by its time. A batch's items fall in a few days, so each day is named once per batch
 * (a name is a Date's ISO string: three per item were a good part of planning a batch).
 */
function windowsOf(listed: string[]): WindowOf {
  const names = new Map<number, string>();
  const nameOf = (ms: number) => {
    const n = Math.floor(ms / DAY_MS);
    let name = names.get(n);
    if (name === undefined) names.set(n, (name = dayOf(ms)));
    return name;
  };
  const windows = new Map<string, string[]>();
  return (at) => {
    const day = nameOf(at);
    const from = nameOf(Math.max(0, at - STORY_WINDOW_MS));
    const to = nameOf(at + STORY_WINDOW_MS);
    const id = `${from} ${day} ${to}`;
    let window = windows.get(id);
    if (!window) {
      window = [...new Set([...listed.filter((d) => d >= from && d <= to), day])].sort();
      windows.set(id, window);
    }
    return { day, window };
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
