import { describe, expect, it } from 'vitest';
import { groupByUrl } from '../../../src/worker/schedule';
import type { PolledFeed } from '../../../src/domain/feed';

const feed = (id: string, url: string, over: Partial<PolledFeed> = {}): PolledFeed => ({
  id,
  url,
  interval: 600_000,
  backfill: 0,
  trust: 'trusted',
  ...over,
});

describe('fetch groups', () => {
  it('fetches a URL once per trust level, so a guild feed never shares a fetch (or its trust) with an operator feed', () => {
    const groups = groupByUrl([
      feed('a', 'https://example.org/rss'),
      feed('g1_local', 'https://example.org/rss', { trust: 'untrusted', interval: 900_000 }),
      feed('b', 'https://example.org/rss', { interval: 300_000 }),
      feed('g2_local', 'https://example.org/rss', { trust: 'untrusted' }),
    ]);
    expect(groups.map((g) => [g.key, g.trust, g.feeds.map((f) => f.id), g.intervalMs])).toEqual([
      ['https://example.org/rss', 'trusted', ['a', 'b'], 300_000],
      ['untrusted https://example.org/rss', 'untrusted', ['g1_local', 'g2_local'], 600_000],
    ]);
  });
});
