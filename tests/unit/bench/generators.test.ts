import { describe, expect, it } from 'vitest';
import { changesAt, CHANGE_EVERY } from '../../../bench/support/farm-rules';
import { feedDocument, formatOf, langOf, type FeedFormat } from '../../../bench/support/feed-doc';
import { article } from '../../../bench/support/news-text';
import { seeded, seedOf } from '../../../bench/support/random';
import { benchTopics } from '../../../bench/support/topics';
import { normalizeFeed } from '../../../src/feeds/normalize';
import { parseFeed } from '../../../src/feeds/parse';
import { compileTopics } from '../../../src/topics/compile';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const doc = (feedId: string, version: number, format: FeedFormat, items = 20) =>
  feedDocument({ seed: 7, feedId, version, items, newestMs: NOW, format });

async function itemsOf(xml: string) {
  const raw = await parseFeed(xml, 'https://news.example/feed.xml');
  return { raw, items: normalizeFeed(raw, { feedId: 'f', fetchedAt: new Date(NOW) }) };
}

describe('seeded random', () => {
  it('repeats the same draws for the same seed and differs for another', () => {
    const draws = (seed: number) => Array.from({ length: 20 }, seeded(seed).next);
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
  });

  it('keeps integers within their bounds, both ends reachable', () => {
    const r = seeded(1);
    const values = new Set(Array.from({ length: 2000 }, () => r.int(3, 7)));
    expect([...values].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('draws Zipf ranks in range, the first rank the most frequent', () => {
    const r = seeded(2);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 5000; i++) counts[r.zipf(10)]!++;
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(counts[0]).toBe(Math.max(...counts));
    expect(counts[0]!).toBeGreaterThan(3 * counts[9]!);
  });

  it('derives independent seeds from labels', () => {
    expect(seedOf(1, 'feed', 3)).toBe(seedOf(1, 'feed', 3));
    expect(
      new Set([
        seedOf(1, 'feed', 3),
        seedOf(1, 'feed', 4),
        seedOf(2, 'feed', 3),
        seedOf(1, 'feed3'),
      ]).size,
    ).toBe(4);
  });
});

describe('generated news', () => {
  it.each(['en', 'ru'] as const)('writes %s articles of news length as HTML paragraphs', (lang) => {
    const a = article(seeded(5), lang);
    const words = a.html
      .replace(/<[^>]+>/g, ' ')
      .split(/\s+/)
      .filter(Boolean).length;
    expect(words).toBeGreaterThanOrEqual(250);
    expect(words).toBeLessThanOrEqual(800);
    expect(a.html.startsWith('<p>')).toBe(true);
    expect(a.title.length).toBeGreaterThan(10);
    expect(/[а-яё]/i.test(a.title)).toBe(lang === 'ru');
  });

  it('gives a feed one language, English for most feeds and Russian for many', () => {
    const langs = Array.from({ length: 200 }, (_, i) => langOf(7, `feed-${i}`));
    const en = langs.filter((l) => l === 'en').length;
    expect(en).toBeGreaterThan(90);
    expect(en).toBeLessThan(150);
    expect(langOf(7, 'feed-1')).toBe(langOf(7, 'feed-1'));
  });
});

describe('feed documents', () => {
  it.each(['rss-content', 'rss-description', 'atom'] as const)(
    'a %s document is read by the real parser into 20 news items',
    async (format) => {
      const { raw, items } = await itemsOf(doc('alpha', 0, format));
      expect(raw.parser).toBe('rss-parser');
      expect(items).toHaveLength(20);
      for (const item of items) {
        expect(item.text.length).toBeGreaterThan(1000);
        expect(item.text.length).toBeLessThan(8000);
        expect(item.link).toMatch(/^https:\/\/news\.example\/alpha\/0-\d+\.html$/);
        expect(item.title).not.toMatch(/[<>]/);
      }
      const dates = items.map((i) => i.publishedAt);
      expect([...dates].sort().reverse()).toEqual(dates);
    },
  );

  it('is the same bytes for the same feed and version', () => {
    expect(doc('alpha', 3, 'atom')).toBe(doc('alpha', 3, 'atom'));
  });

  it('holds entirely new items in a new version, and other items in another feed', async () => {
    const links = async (xml: string) => new Set((await itemsOf(xml)).items.map((i) => i.link));
    const v0 = await links(doc('alpha', 0, 'rss-content'));
    const v1 = await links(doc('alpha', 1, 'rss-content'));
    const other = await links(doc('beta', 0, 'rss-content'));
    expect([...v1].filter((l) => v0.has(l))).toEqual([]);
    expect([...other].filter((l) => v0.has(l))).toEqual([]);
  });

  it('serves mostly full-content RSS, some description-only RSS and some Atom', () => {
    const formats = Array.from({ length: 100 }, (_, i) => formatOf(i));
    expect(formats.filter((f) => f === 'rss-content')).toHaveLength(80);
    expect(formats.filter((f) => f === 'rss-description')).toHaveLength(10);
    expect(formats.filter((f) => f === 'atom')).toHaveLength(10);
  });
});

describe('the feed farm rounds', () => {
  it('changes no feed at the first poll, and exactly one in ten at every later round', () => {
    const feeds = Array.from({ length: 1000 }, (_, n) => n);
    expect(feeds.filter((n) => changesAt(n, 0))).toEqual([]);
    for (const round of [1, 2, 3, 17])
      expect(feeds.filter((n) => changesAt(n, round))).toHaveLength(1000 / CHANGE_EVERY);
  });

  it('changes a different tenth of the feeds at consecutive rounds', () => {
    const changed = (round: number) =>
      Array.from({ length: 100 }, (_, n) => n).filter((n) => changesAt(n, round));
    expect(changed(1).filter((n) => changed(2).includes(n))).toEqual([]);
  });
});

describe('bench topics', () => {
  it('are the default catalogue plus generated topics, distinct, and they compile', async () => {
    const file = await benchTopics(50, 7);
    expect(file.topics).toHaveLength(50);
    expect(file.topics[0]!.id).toBe('un-ct-central-asia');
    expect(new Set(file.topics.map((t) => t.id)).size).toBe(50);
    expect(new Set(file.topics.map((t) => t.query)).size).toBe(50);
    expect(compileTopics(file.topics, file.groups).topicIds).toHaveLength(50);
  });

  it('match some generated items and not all of them', async () => {
    const file = await benchTopics(50, 7);
    const matcher = compileTopics(file.topics, file.groups);
    const items = (
      await Promise.all(
        Array.from({ length: 5 }, (_, i) => itemsOf(doc(`feed-${i}`, 0, formatOf(i)))),
      )
    ).flatMap((d) => d.items);
    const matched = items.filter((item) => matcher.match(item).length > 0).length;
    expect(matched).toBeGreaterThan(items.length * 0.1);
    expect(matched).toBeLessThan(items.length * 0.9);
  });
});
