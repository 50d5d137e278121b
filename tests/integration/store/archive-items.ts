import type { Item } from '../../../src/domain/item';
import type { Match } from '../../../src/domain/match';

export const DAY = 86_400_000;

/** An archived-looking item: `n` names it, `over` sets what a case is about. */
export function newsItem(n: number, over: Partial<Item> = {}): Item {
  return {
    key: `key-${String(n).padStart(4, '0')}`,
    storyKey: `l:example.org/${n}`,
    feedId: 'feed-a',
    guid: `guid-${n}`,
    link: `https://example.org/${n}`,
    title: `Story number ${n}`,
    description: '',
    text: `Body of story ${n}.`,
    categories: [],
    publishedAt: '2026-11-11T08:00:00.000Z',
    fetchedAt: '2026-11-20T08:00:00.000Z',
    ...over,
  };
}

export function matched(topicId: string, score = 3): Match {
  return { topicId, score, hits: [{ term: topicId, field: 'title' }] };
}
