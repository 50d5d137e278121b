import { describe, expect, it } from 'vitest';
import { FeedDefSchema } from '../../../src/config/feeds-file';

const intervalOf = (url: string, interval: string) => {
  const parsed = FeedDefSchema.safeParse({ id: 'f', url, interval });
  return parsed.success ? parsed.data.interval : parsed.error.issues.map((i) => i.message);
};

describe('a feed interval shorter than a minute', () => {
  it.each([
    ['http://127.0.0.1:8080/feed.xml'],
    ['http://127.3.0.9/feed.xml'],
    ['http://localhost/feed.xml'],
    ['http://[::1]:9000/feed.xml'],
    ['feeds/local.xml'],
    ['file:///srv/feeds/local.xml'],
  ])('is allowed for %s, a feed on this machine', (url) => {
    expect(intervalOf(url, '3s')).toBe(3_000);
  });

  it.each([
    ['https://example.org/feed.xml'],
    ['http://127.0.0.1.example.org/feed.xml'],
    ['http://10.0.0.5/feed.xml'],
  ])("is refused for %s, someone else's server", (url) => {
    expect(intervalOf(url, '59s')).toEqual([
      'must be at least 1m (shorter only for a feed on this machine)',
    ]);
    expect(intervalOf(url, '1m')).toBe(60_000);
  });

  it('is never below a second', () => {
    expect(intervalOf('http://127.0.0.1/feed.xml', '0s')).toEqual(['must be at least 1s']);
  });
});
