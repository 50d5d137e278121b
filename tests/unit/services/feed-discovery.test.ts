import { describe, expect, it } from 'vitest';
import { alternateFeedLinks } from '../../../src/services/feed-discovery';
import { slugOf } from '../../../src/services/feeds';

describe('finding the feeds a web page announces', () => {
  it('reads RSS, Atom and JSON Feed alternates in page order, resolved against the page', () => {
    const html = `<html><head>
      <link rel="stylesheet" href="/style.css">
      <link rel="alternate" type="application/rss+xml" title="News" href="/feed.xml">
      <LINK REL='alternate' TYPE='application/atom+xml; charset=utf-8' HREF='https://other.example/atom?a=1&amp;b=2'>
      <link href=feed.json type="application/feed+json" rel="alternate">
      <link rel="alternate" hreflang="ru" href="/ru/">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
    </head></html>`;
    expect(alternateFeedLinks(html, 'https://example.org/news/index.html')).toEqual([
      'https://example.org/feed.xml',
      'https://other.example/atom?a=1&b=2',
      'https://example.org/news/feed.json',
    ]);
  });

  it('finds nothing on a page without feed links, or with unusable ones', () => {
    expect(
      alternateFeedLinks('<html><body>no feeds</body></html>', 'https://example.org/'),
    ).toEqual([]);
    expect(
      alternateFeedLinks(
        '<link rel="alternate" type="application/rss+xml" href="http://[::1">',
        'https://example.org/',
      ),
    ).toEqual([]);
  });
});

describe('feed ids from titles', () => {
  it.each([
    ['Energy News (RU)', 'energy-news-ru'],
    ['  Café Crème — Daily  ', 'cafe-creme-daily'],
    ['Новости', ''],
    ['x'.repeat(60), 'x'.repeat(40)],
  ])('%j → %j', (title, slug) => {
    expect(slugOf(title)).toBe(slug);
  });
});
