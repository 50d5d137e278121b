/**
 * A story's record and its sources. The record (`story:s:<id>`) says what the story is — when it
 * was first seen, how many sources it has and which items they are — while each source's details
 * (feed, headline, link, time) are stored with that item's decision (`story:i:…`), which is
 * written anyway when the item is filed. A source joining a story then rewrites a short list of
 * item keys instead of every earlier source's headline and link: a story of eight sources was a
 * 3 KB record read, parsed and written again for each new one, most of what filing a reprint cost.
 *
 * Records written before December 2026 carry all their sources inline (`sources`) and read as they
 * are; a source joining one is listed after them, by key.
 */
import type { Item } from '../domain/item';
import type { KV } from './kv';
import { itemStoryKey, storyRecordKey } from './story-index-records';

/** Sources listed per story; later ones are only counted. */
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

/** What is stored per decided item: its story, and what the story lists of it. */
export interface Decision extends StoryAssignment {
  /** Absent in decisions written before December 2026 (their stories list them inline). */
  source?: Omit<StorySource, 'itemKey'>;
}

/** What is stored per story. */
export interface StoryRecord {
  id: string;
  firstSeen: string;
  /** Sources stored in the record: all of them in records written before December 2026, none since. */
  sources: StorySource[];
  /** The items whose sources are stored with their decisions, in arrival order, after `sources`. */
  items?: string[];
  sourceCount: number;
}

export function decisionOf(item: Item, assignment: StoryAssignment): Decision {
  return {
    storyId: assignment.storyId,
    first: assignment.first,
    source: {
      feedId: item.feedId,
      title: item.title,
      publishedAt: item.publishedAt,
      ...(item.link !== undefined && { link: item.link }),
    },
  };
}

/** The record with `item` as its next source; unchanged if it lists the item already. */
export function withSource(record: StoryRecord | undefined, id: string, item: Item): StoryRecord {
  const base = record ?? { id, firstSeen: item.publishedAt, sources: [], sourceCount: 0 };
  const items = base.items ?? [];
  // Listed already when a crash came after the story's write and before the item's decision.
  if (items.includes(item.key) || base.sources.some((s) => s.itemKey === item.key)) return base;
  const listed = base.sources.length + items.length < MAX_SOURCES;
  return {
    ...base,
    items: listed ? [...items, item.key] : items,
    sourceCount: base.sourceCount + 1,
  };
}

/**
 * Several stories with their sources (undefined where one is unknown or expired): the records,
 * then the decisions of the items they list, in one read each. A source whose decision has
 * expired (the story took more sources later and outlived it) is no longer listed, only counted.
 */
export async function readStories(kv: KV, ids: string[]): Promise<Array<Story | undefined>> {
  if (ids.length === 0) return [];
  const records = await kv.getMany<StoryRecord>(ids.map(storyRecordKey));
  const keys = [...new Set(records.flatMap((r) => r?.items ?? []))];
  const decisions = await kv.getMany<Decision>(keys.map(itemStoryKey));
  const sourceOf = new Map(
    keys.flatMap((itemKey, i) => {
      const source = decisions[i]?.source;
      return source ? [[itemKey, { ...source, itemKey }] as const] : [];
    }),
  );
  return records.map((r) => {
    if (!r) return undefined;
    const later = (r.items ?? []).flatMap((k) => sourceOf.get(k) ?? []);
    return {
      id: r.id,
      firstSeen: r.firstSeen,
      sources: [...r.sources, ...later],
      sourceCount: r.sourceCount,
    };
  });
}
