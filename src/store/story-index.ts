/**
 * Which story an item belongs to, decided through an index rather than a scan, so the cost of a
 * decision follows the window (72 h), not the archive. Per UTC day of publication:
 *
 *   story:b:<day>:<lang>:<band>:<hash>  MinHash band buckets: ordinals of that day's members,
 *                                       newest last, at most BUCKET_CAP (a band shared by half the
 *                                       day's news says little, and must not cost a read of it all)
 *   story:m:<day>:<ord>                 a member: its story id and what comparing needs
 *   story:l:<day>:<link digest>         canonical link → story id
 *   story:seq:<day>                     the next ordinal
 *   story:days                          the sorted days present: what decisions and prunes start from
 *
 * and per item and story, kept as long as the archive keeps items (ARCHIVE_DAYS, as TTLs):
 *
 *   story:i:<item key digest>           the item's story, once decided: deciding again answers it
 *   story:s:<story id>                  the story: first seen, and its sources in arrival order
 *
 * A decision reads the link and bucket keys of the window's days in one `getMany`, at most
 * MAX_CANDIDATES members in a second, and the story in a third; it writes everything in one
 * `setMany` (atomic on SQLite and PostgreSQL), item → story last in the batch. Decisions are
 * serialised in-process: the buckets and sequences they append to are shared.
 */
import type { Item } from '../feeds/item';
import { type StoryFeatures, storyFeatures } from '../stories/features';
import { bestMatch, STORY_WINDOW_MS } from '../stories/same-story';
import { DAY_MS, dayOf } from './archive-slot';
import { digest } from './hash';
import type { KV } from './kv';
import { KeyedMutex } from './mutex';

const BUCKET_CAP = 32;
const MAX_CANDIDATES = 24;
const MAX_SOURCES = 50;
const DAYS_KEY = 'story:days';

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
  /** In arrival order, the first source first; at most MAX_SOURCES (later ones are counted only). */
  sources: StorySource[];
  sourceCount: number;
}

export interface StoryAssignment {
  storyId: string;
  /** The item started its story (it is the story's first source). */
  first: boolean;
}

/** What is stored per member: the features, compactly. */
interface MemberRecord {
  s: string;
  at: number;
  lang: StoryFeatures['lang'];
  t: Array<[string, number]>;
  n: string[];
  b: number[];
  l?: string;
}

const bucketKey = (day: string, lang: string, band: number, hash: number) =>
  `story:b:${day}:${lang}:${band}:${hash.toString(36)}`;
const memberKey = (day: string, ord: number) => `story:m:${day}:${ord}`;
const linkKey = (day: string, link: string) => `story:l:${day}:${digest(link)}`;
const seqKey = (day: string) => `story:seq:${day}`;
const itemKey = (key: string) => `story:i:${digest(key)}`;
const storyKey = (id: string) => `story:s:${id}`;

/** A new story's id: stable for the item that starts it, so deciding twice names it alike. */
export const newStoryId = (item: Pick<Item, 'key'>) => digest(`story\n${item.key}`, 16);

function toRecord(f: StoryFeatures, storyId: string): MemberRecord {
  return {
    s: storyId,
    at: f.at,
    lang: f.lang,
    t: [...f.terms],
    n: f.numbers,
    b: f.bands,
    ...(f.link !== undefined && { l: f.link }),
  };
}

function fromRecord(r: MemberRecord): StoryFeatures {
  return {
    lang: r.lang,
    at: r.at,
    terms: new Map(r.t),
    numbers: r.n,
    bands: r.b,
    ...(r.l !== undefined && { link: r.l }),
  };
}

/** The keys a member is filed under, besides its own. */
function memberIndexKeys(day: string, r: MemberRecord): string[] {
  const keys = r.b.map((h, band) => bucketKey(day, r.lang, band, h));
  if (r.l !== undefined) keys.push(linkKey(day, r.l));
  return keys;
}

/**
 * The records that index a day's members, for loading an index in bulk (the bench's million
 * items): the same layout `assign` writes one item at a time, without the per-item story records.
 */
export function dayIndexRecords(
  day: string,
  members: Array<{ features: StoryFeatures; storyId: string }>,
): Array<{ key: string; value: unknown }> {
  const buckets = new Map<string, number[]>();
  const out: Array<{ key: string; value: unknown }> = [];
  members.forEach(({ features, storyId }, ord) => {
    const record = toRecord(features, storyId);
    out.push({ key: memberKey(day, ord), value: record });
    record.b.forEach((h, band) => {
      const key = bucketKey(day, record.lang, band, h);
      const list = buckets.get(key) ?? [];
      list.push(ord);
      if (list.length > BUCKET_CAP) list.shift();
      buckets.set(key, list);
    });
    if (record.l !== undefined) out.push({ key: linkKey(day, record.l), value: storyId });
  });
  for (const [key, value] of buckets) out.push({ key, value });
  out.push({ key: seqKey(day), value: members.length });
  return out;
}

export interface StoryIndexOptions {
  /** How long item → story and story records are kept: the archive's retention. */
  retentionMs: number;
}

export interface StoryIndex {
  /**
   * The item's story: the one decided for it before; else the story of an item within the window
   * with the same canonical link, or the best near-duplicate; else a new story it starts.
   * Deciding again (after a crash, on a retry) gives the same answer and records nothing twice.
   */
  assign(item: Item): Promise<StoryAssignment>;
  /** The stories already decided for these items (undefined where none was). */
  storiesOf(itemKeys: string[]): Promise<Array<string | undefined>>;
  story(id: string): Promise<Story | undefined>;
  /** Drops the index of days wholly outside the window before `now`; item and story records age out with their TTLs. */
  prune(now: Date): Promise<{ days: number }>;
  /** Records days written in bulk (dayIndexRecords) so that decisions look at them. */
  addDays(days: string[]): Promise<void>;
}

export function createStoryIndex(kv: KV, options: StoryIndexOptions): StoryIndex {
  const mutex = new KeyedMutex();
  let knownDays: string[] | undefined;
  const days = async () => (knownDays ??= (await kv.get<string[]>(DAYS_KEY)) ?? []);
  const saveDays = async (list: string[]) => {
    knownDays = [...new Set(list)].sort();
    await kv.set(DAYS_KEY, knownDays);
  };

  async function decide(item: Item): Promise<StoryAssignment> {
    const f = storyFeatures(item);
    const at = Number.isFinite(f.at) ? f.at : Date.now();
    const day = dayOf(at);
    const from = dayOf(Math.max(0, at - STORY_WINDOW_MS));
    const to = dayOf(at + STORY_WINDOW_MS);
    const window = (await days()).filter((d) => d >= from && d <= to);
    const links = f.link === undefined ? [] : window.map((d) => linkKey(d, f.link!));
    const buckets = window.flatMap((d) =>
      f.bands.map((h, band) => ({ day: d, key: bucketKey(d, f.lang, band, h) })),
    );
    const [known, seq, ...rest] = await kv.getMany<unknown>([
      itemKey(item.key),
      seqKey(day),
      ...links,
      ...buckets.map((b) => b.key),
    ]);
    if (known) return known as StoryAssignment;

    let storyId = rest.slice(0, links.length).find((v): v is string => typeof v === 'string');
    if (storyId === undefined) storyId = await nearDuplicate(f, buckets, rest.slice(links.length));
    const first = storyId === undefined;
    storyId ??= newStoryId(item);

    const ord = typeof seq === 'number' ? seq : 0;
    const record = toRecord({ ...f, at }, storyId);
    const ownBuckets = new Map(
      buckets
        .map((b, i) => [b.key, rest[links.length + i]] as const)
        .filter(([, v], i) => buckets[i]!.day === day && Array.isArray(v)),
    );
    const writes: Array<{ key: string; value: unknown; ttlMs?: number }> = [
      { key: seqKey(day), value: ord + 1 },
      { key: memberKey(day, ord), value: record },
    ];
    record.b.forEach((h, band) => {
      const key = bucketKey(day, record.lang, band, h);
      const list = [...((ownBuckets.get(key) as number[] | undefined) ?? []), ord];
      writes.push({ key, value: list.slice(-BUCKET_CAP) });
    });
    if (record.l !== undefined) writes.push({ key: linkKey(day, record.l), value: storyId });
    const story = first ? undefined : await kv.get<Story>(storyKey(storyId));
    writes.push({
      key: storyKey(storyId),
      value: withSource(story, storyId, item),
      ttlMs: options.retentionMs,
    });
    const assignment: StoryAssignment = { storyId, first };
    writes.push({ key: itemKey(item.key), value: assignment, ttlMs: options.retentionMs });
    if (!(await days()).includes(day)) await saveDays([...(await days()), day]);
    await kv.setMany(writes);
    return assignment;
  }

  /** The story of the best near-duplicate among the members the bands point at. */
  async function nearDuplicate(
    f: StoryFeatures,
    buckets: Array<{ day: string; key: string }>,
    values: unknown[],
  ): Promise<string | undefined> {
    const votes = new Map<string, { day: string; ord: number; bands: number }>();
    buckets.forEach((b, i) => {
      const ords = values[i];
      if (!Array.isArray(ords)) return;
      for (const ord of ords as number[]) {
        const key = memberKey(b.day, ord);
        const vote = votes.get(key) ?? { day: b.day, ord, bands: 0 };
        vote.bands++;
        votes.set(key, vote);
      }
    });
    // Most shared bands first; among equals, the newest.
    const keys = [...votes]
      .sort(
        ([, a], [, b]) =>
          b.bands - a.bands || (a.day === b.day ? b.ord - a.ord : a.day < b.day ? 1 : -1),
      )
      .slice(0, MAX_CANDIDATES)
      .map(([key]) => key);
    const records = await kv.getMany<MemberRecord>(keys);
    const candidates = records
      .filter((r): r is MemberRecord => r !== undefined)
      .map((r) => ({ storyId: r.s, features: fromRecord(r) }));
    return bestMatch(f, candidates)?.storyId;
  }

  return {
    assign: (item) => mutex.run('story', () => decide(item)),
    async storiesOf(itemKeys) {
      const values = await kv.getMany<StoryAssignment>(itemKeys.map(itemKey));
      return values.map((v) => v?.storyId);
    },
    story: (id) => kv.get<Story>(storyKey(id)),
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
