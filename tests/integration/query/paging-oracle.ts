/**
 * The plain answer the paging property tests compare the archive's pages with: random items on a
 * coarse time grid, a query over a range of that grid, and what filtering and sorting those items
 * directly gives.
 */
import type { ArchiveQuery } from '../../../src/query/archive-query';
import { searchDoc } from '../../../src/store/archive-index';
import { compileTopics } from '../../../src/topics/compile';
import type { Item } from '../../../src/domain/item';
import type { Match } from '../../../src/domain/match';
import { matched, newsItem } from '../store/archive-items';

export const SIX_HOURS = 6 * 3_600_000;

export interface ItemSpec {
  /** Three-hour steps from the start: many items share a time. */
  slot: number;
  feed: string;
  topics: string[];
  words: string[];
}

export interface RangeSpec {
  /** Six-hour steps from the start. */
  from: number;
  span: number;
  limit: number;
  topics?: string[];
  feeds?: string[];
  text?: string;
}

/** The specs as archive entries; keys out of arrival order, so equal times must really be ordered by key. */
export function specEntries(
  specs: ItemSpec[],
  start: number,
): Array<{ item: Item; matches: Match[] }> {
  return specs.map((s, n) => ({
    item: newsItem(n, {
      key: `key-${(n * 7919) % 1000}`,
      feedId: s.feed,
      title: s.words.join(' '),
      publishedAt: new Date(start + s.slot * 3 * 3_600_000).toISOString(),
    }),
    matches: s.topics.map((t) => matched(t)),
  }));
}

export function rangeQuery(q: RangeSpec, start: number): ArchiveQuery {
  return {
    since: new Date(start + q.from * SIX_HOURS),
    until: new Date(start + (q.from + q.span) * SIX_HOURS),
    limit: q.limit,
    ...(q.topics && { topics: q.topics }),
    ...(q.feeds && { feeds: q.feeds }),
    ...(q.text && { text: q.text }),
  };
}

/** The items `query` should find among `entries`, newest first, ties by key. */
export function expectedItems(
  entries: Array<{ item: Item; matches: Match[] }>,
  query: ArchiveQuery,
): Item[] {
  const { since, until, topics, feeds, text } = query;
  const textMatcher = text && compileTopics([{ id: 'q', name: 'q', query: text, minScore: 0 }], {});
  return entries
    .filter(({ item, matches }) => {
      const ms = Date.parse(item.publishedAt);
      return (
        ms >= since.getTime() &&
        ms < until!.getTime() &&
        (!topics || matches.some((m) => topics.includes(m.topicId))) &&
        (!feeds || feeds.includes(item.feedId)) &&
        (!textMatcher || textMatcher.match(searchDoc(item)).length > 0)
      );
    })
    .map(({ item }) => item)
    .sort(
      (a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || (a.key < b.key ? -1 : 1),
    );
}
