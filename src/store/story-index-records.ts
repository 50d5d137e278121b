/**
 * The story index's layout in the store. Per UTC day of publication, an append-only log:
 *
 *   story:m:<day>:<ord>                 a member: its story id, what comparing needs (its terms
 *                                       as one string) and a digest of its text (MemberRecord)
 *   story:seq:<day>                     how many members the day has: the next ordinal
 *   story:days                          the sorted days present: what decisions and prunes start from
 *
 * and per item and story, kept as long as the archive keeps items (ARCHIVE_DAYS, as TTLs):
 *
 *   story:i:<item key digest>           the item's story, once decided (deciding again answers it),
 *                                       and what the story lists of it: feed, headline, link, time
 *   story:s:<story id>                  the story: first seen, how many sources, and the items they
 *                                       are in arrival order (story-index-stories.ts)
 *
 * The band and link buckets that find a member are not stored: they are derived from the log and
 * kept in memory for the days of the window (story-window.ts), so a decision reads only the
 * members it compares itself with. Stores written before that (until December 2026) also hold
 * `story:b:<day>:…` band buckets and `story:l:<day>:…` link keys, and members that carry their
 * bands (`b`): the log is read as it is (a member's bands are recomputed from its terms), and those
 * keys are deleted with their day by the prune (`legacyIndexKeys`), seven days after the upgrade.
 */
import type { StoryFeatures } from '../stories/features';
import { bandHashes } from '../stories/minhash';
import type { Terms } from '../stories/terms';
import { digest } from './hash';

export const DAYS_KEY = 'story:days';

export const memberKey = (day: string, ord: number) => `story:m:${day}:${ord}`;
export const seqKey = (day: string) => `story:seq:${day}`;
export const itemStoryKey = (itemKey: string) => `story:i:${digest(itemKey)}`;
export const storyRecordKey = (id: string) => `story:s:${id}`;

/** What is stored per member: its story and its features, compactly. */
export interface MemberRecord {
  s: string;
  at: number;
  lang: StoryFeatures['lang'];
  /**
   * Its terms, one string: each term, with `:` and its weight when that is not 1, separated by
   * spaces (`tajik:3 earth:3 struck`; a term is letters and digits only). Members written before
   * 8 December 2026 hold `[term, weight]` pairs: a third more bytes, and parsed into as many
   * arrays whenever a member is read.
   */
  t: string | Array<[string, number]>;
  n: string[];
  l?: string;
  /**
   * A digest of the member's feature text (`featureText`), when it has a link: a later item with
   * the same link and text takes its features from here (`reprintFeatures`). Absent in members
   * written before 8 December 2026.
   */
  h?: string;
  /** Only in members written by the earlier layout: their one-row bands, which named its buckets. */
  b?: number[];
}

export function toRecord(f: StoryFeatures, storyId: string, text?: string): MemberRecord {
  return {
    s: storyId,
    at: f.at,
    lang: f.lang,
    t: termsText(f.terms),
    n: f.numbers,
    ...(f.link !== undefined && { l: f.link }),
    ...(text !== undefined && { h: text }),
  };
}

function termsText(terms: Terms): string {
  let text = '';
  for (const [term, weight] of terms)
    text += `${text === '' ? '' : ' '}${term}${weight === 1 ? '' : `:${weight}`}`;
  return text;
}

/** A member's terms, as stored by either layout. */
export function termsOf(r: Pick<MemberRecord, 't'>): Terms {
  if (typeof r.t !== 'string') return new Map(r.t);
  const terms: Terms = new Map();
  if (r.t === '') return terms;
  for (const entry of r.t.split(' ')) {
    const colon = entry.indexOf(':');
    if (colon < 0) terms.set(entry, 1);
    else terms.set(entry.slice(0, colon), Number(entry.slice(colon + 1)));
  }
  return terms;
}

/** A member's features, without its bands: comparing does not need them (see story-window.ts). */
export function fromRecord(r: MemberRecord): StoryFeatures {
  return {
    lang: r.lang,
    at: r.at,
    terms: termsOf(r),
    numbers: r.n,
    bands: [],
    ...(r.l !== undefined && { link: r.l }),
  };
}

/**
 * The features of an item whose feature text is the member's (the same digest): the member's
 * language, terms and numbers, with the item's own time and link, and the bands its terms make.
 */
export function reprintFeatures(r: MemberRecord, at: number, link: string): StoryFeatures {
  const f = fromRecord(r);
  return { ...f, at, link, bands: bandHashes(f.terms) };
}

/** The bucket and link keys the earlier layout filed a member under: deleted with its day. */
export function legacyIndexKeys(day: string, r: MemberRecord): string[] {
  if (r.b === undefined) return [];
  const keys = r.b.map((h, band) => `story:b:${day}:${r.lang}:${band}:${h.toString(36)}`);
  if (r.l !== undefined) keys.push(`story:l:${day}:${digest(r.l)}`);
  return keys;
}

/**
 * The records of a day's members, for loading an index in bulk (the bench's million items): the
 * log `assign` appends to, without the per-item and per-story records.
 */
export function dayIndexRecords(
  day: string,
  members: Array<{ features: StoryFeatures; storyId: string }>,
): Array<{ key: string; value: unknown }> {
  const out = members.map(({ features, storyId }, ord) => ({
    key: memberKey(day, ord),
    value: toRecord(features, storyId) as unknown,
  }));
  out.push({ key: seqKey(day), value: members.length });
  return out;
}
