/**
 * Whether an archived item is in a query's result, decided from the item itself, and where it
 * sits in the result's order. Story listing (story-query.ts) asks this of a story's other sources
 * to know whether the story was already listed at a newer one. It must agree with what the
 * archive's lists select, so it is built from the same parts: the place the archive files an item
 * at (`publishedMs`), its recorded topics, its feed, the word names it is indexed under
 * (`indexWords`) and the phrase check of the text query.
 */
import type { Archived } from '../store/archive';
import { indexWords } from '../store/archive-index';
import { publishedMs } from '../store/archive-put';
import type { Cursor } from './cursor';
import type { Range } from './select-days';
import type { TextQuery } from './text-query';

/** An item's place in the order of results: published time descending, then key ascending. */
export const positionOf = (a: Archived): Cursor => ({ ms: publishedMs(a.item), key: a.item.key });

/** Whether `a` comes before `b` in a result (is newer, or as new with a smaller key). */
export const comesBefore = (a: Cursor, b: Cursor): boolean =>
  a.ms > b.ms || (a.ms === b.ms && a.key < b.key);

export function resultFilter(filters: {
  topics: string[];
  feeds: string[];
  text?: TextQuery;
  range: Range;
}): (a: Archived) => boolean {
  const topics = new Set(filters.topics);
  const feeds = new Set(filters.feeds);
  const { text, range } = filters;
  return (a) => {
    const ms = publishedMs(a.item);
    if (ms < range.from || ms >= range.to) return false;
    if (topics.size > 0 && !a.matches.some((m) => topics.has(m.topicId))) return false;
    if (feeds.size > 0 && !feeds.has(a.item.feedId)) return false;
    if (text && text.words.length > 0) {
      const words = new Set(indexWords(a.item));
      if (!text.words.every((w) => words.has(w))) return false;
    }
    return text?.verify ? text.verify(a) : true;
  };
}
