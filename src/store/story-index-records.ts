/**
 * The story index's layout in the store. Per UTC day of publication:
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
 */
import type { StoryFeatures } from '../stories/features';
import { digest } from './hash';

export const BUCKET_CAP = 16;
export const DAYS_KEY = 'story:days';

export const bucketKey = (day: string, lang: string, band: number, hash: number) =>
  `story:b:${day}:${lang}:${band}:${hash.toString(36)}`;
export const memberKey = (day: string, ord: number) => `story:m:${day}:${ord}`;
export const linkKey = (day: string, link: string) => `story:l:${day}:${digest(link)}`;
export const seqKey = (day: string) => `story:seq:${day}`;
export const itemStoryKey = (itemKey: string) => `story:i:${digest(itemKey)}`;
export const storyRecordKey = (id: string) => `story:s:${id}`;

/** What is stored per member: its story and its features, compactly. */
export interface MemberRecord {
  s: string;
  at: number;
  lang: StoryFeatures['lang'];
  t: Array<[string, number]>;
  n: string[];
  b: number[];
  l?: string;
}

export function toRecord(f: StoryFeatures, storyId: string): MemberRecord {
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

export function fromRecord(r: MemberRecord): StoryFeatures {
  return {
    lang: r.lang,
    at: r.at,
    terms: new Map(r.t),
    numbers: r.n,
    bands: r.b,
    ...(r.l !== undefined && { link: r.l }),
  };
}

/** The bucket keys a member of `day` is filed under, one per band. */
export const bucketKeysOf = (day: string, f: Pick<StoryFeatures, 'lang' | 'bands'>) =>
  f.bands.map((h, band) => bucketKey(day, f.lang, band, h));

/** The keys a member is filed under, besides its own: what a prune deletes with it. */
export function memberIndexKeys(day: string, r: MemberRecord): string[] {
  const keys = bucketKeysOf(day, { lang: r.lang, bands: r.b });
  if (r.l !== undefined) keys.push(linkKey(day, r.l));
  return keys;
}

/** `ord` appended to a bucket's list, the oldest dropped beyond the cap. */
export function appended(list: number[] | undefined, ord: number): number[] {
  const out = [...(list ?? []), ord];
  return out.length > BUCKET_CAP ? out.slice(-BUCKET_CAP) : out;
}

/**
 * The records that index a day's members, for loading an index in bulk (the bench's million
 * items): the same layout `assign` writes, without the per-item and per-story records.
 */
export function dayIndexRecords(
  day: string,
  members: Array<{ features: StoryFeatures; storyId: string }>,
): Array<{ key: string; value: unknown }> {
  const buckets = new Map<string, number[]>();
  const out: Array<{ key: string; value: unknown }> = [];
  members.forEach(({ features, storyId }, ord) => {
    out.push({ key: memberKey(day, ord), value: toRecord(features, storyId) });
    for (const key of bucketKeysOf(day, features))
      buckets.set(key, appended(buckets.get(key), ord));
    if (features.link !== undefined) out.push({ key: linkKey(day, features.link), value: storyId });
  });
  for (const [key, value] of buckets) out.push({ key, value });
  out.push({ key: seqKey(day), value: members.length });
  return out;
}
