import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../../../src/errors';
import { decodeFeedBytes } from '../../../src/feeds/decode';
import { parseFeed } from '../../../src/feeds/parse';
import { readWithFeedsmith } from '../../../src/feeds/parse-feedsmith';
import { readWithRssParser, snippetCost } from '../../../src/feeds/parse-rss-parser';

const URL_ = 'https://feeds.example.com/feed.xml';
const fixture = (name: string) =>
  decodeFeedBytes(readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url)));

async function parseError(body: string): Promise<FeedError> {
  const error = await parseFeed(body, URL_).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}

const rss = (items: string, attrs = 'version="2.0"') =>
  `<?xml version="1.0"?><rss ${attrs}><channel><title>T</title><link>https://site.example/</link>${items}</channel></rss>`;

describe('parseFeed', () => {
  it('reads an RSS 2.0 feed with rss-parser, keeping content:encoded, dates as found and categories', async () => {
    const feed = await parseFeed(fixture('trend-central-asia.rss'), URL_);
    expect(feed).toMatchObject({
      parser: 'rss-parser',
      title: 'Trend News Agency - Central Asia',
      language: 'en',
    });
    expect(feed.entries).toHaveLength(5);
    expect(feed.entries[0]).toMatchObject({
      guid: 'https://en.trend.az/centralasia/turkmenistan/3495081.html',
      link: 'https://en.trend.az/centralasia/turkmenistan/3495081.html',
      title: 'Turkmenistan, UN discuss strategic cooperation',
      categories: ['Turkmenistan', 'Politics'],
      published: 'Fri, 15 Oct 2021 09:12:00 +0400',
    });
    expect(feed.entries[0]!.contentHtml).toMatch(/^<p>BAKU, Azerbaijan, Oct. 15<\/p>/);
    expect(feed.entries[0]!.summaryHtml).toMatch(/^Turkmenistan and UN discussed/);
  });

  it('reads <rss> without a version attribute as RSS 2.0', async () => {
    const feed = await parseFeed(fixture('rss-without-version.rss'), URL_);
    expect(feed.parser).toBe('rss-parser');
    expect(feed.entries).toEqual([
      expect.objectContaining({
        guid: 'wire-1',
        title: 'Parliament adopts budget',
        published: 'Mon, 4 Mar 2024 14:05:00 GMT',
      }),
    ]);
  });

  it('keeps Atom categories (term, else label), authors and both dates', async () => {
    const feed = await parseFeed(fixture('atom-plain.atom'), URL_);
    expect(feed).toMatchObject({
      parser: 'rss-parser',
      link: 'https://blog.example.org/',
      language: 'en',
    });
    expect(feed.entries[0]).toMatchObject({
      guid: 'tag:blog.example.org,2024:harvest',
      link: 'https://blog.example.org/2024/harvest',
      author: 'Aziza K.',
      categories: ['agriculture', 'economy'],
      published: '2024-03-01T06:00:00Z',
      updated: '2024-03-02T06:00:00Z',
    });
  });

  it('reads Atom xhtml titles and content through feedsmith, in document order', async () => {
    const feed = await parseFeed(fixture('atom-xhtml-categories.atom'), URL_);
    expect(feed.parser).toBe('feedsmith');
    expect(feed.language).toBe('en-GB');
    expect(feed.entries[0]!.title).toBe(
      'Counter-terrorism talks in <em>Ashgabat</em> &amp; Tashkent',
    );
    expect(feed.entries[0]!.contentHtml).toContain(
      '<p>First paragraph with <a href="https://example.org">a link</a> in it.</p>',
    );
    expect(feed.entries[0]!.categories).toEqual(['central-asia', 'terrorism']);
    expect(feed.entries).toHaveLength(2);
  });

  it('turns RSS categories that mix text and attributes into strings', async () => {
    const xml = rss(
      '<item><title>a</title><category>one</category><category domain="x"> two </category><category domain="y"/></item>',
    );
    const feed = await parseFeed(xml, URL_);
    expect(feed.entries[0]!.categories).toEqual(['one', ' two ']);
  });

  it('falls back to feedsmith for a bare ampersand and an unquoted attribute', async () => {
    const feed = await parseFeed(fixture('rss-bare-ampersand.rss'), URL_);
    expect(feed.parser).toBe('feedsmith');
    expect(feed.title).toBe('Trade & Transport News');
    expect(feed.entries[0]).toMatchObject({
      guid: 'trade-7',
      link: 'https://trade.example.com/a?id=7&utm_source=rss',
      title: 'Rail & road links to expand',
      categories: ['Transport'],
    });
  });

  it.each([
    ['a bare ampersand', rss('<item><title>Salt & pepper</title></item>'), 'Salt & pepper'],
    [
      'an unquoted attribute',
      rss('<item><title>Unquoted</title><guid isPermaLink=false>u-1</guid></item>'),
      'Unquoted',
    ],
  ])('reads a feed with only %s through feedsmith', async (_name, xml, title) => {
    const feed = await parseFeed(xml, URL_);
    expect(feed.parser).toBe('feedsmith');
    expect(feed.entries[0]!.title).toBe(title);
  });

  it('reads unescaped markup in an RSS description through feedsmith, in document order', async () => {
    const feed = await parseFeed(
      rss('<item><title>a</title><description>Hello <b>world</b> again</description></item>'),
      URL_,
    );
    expect(feed.parser).toBe('feedsmith');
    expect(feed.entries[0]!.summaryHtml).toBe('Hello <b>world</b> again');
  });

  it('reads RSS 1.0 (RDF) with dc:date, dc:creator and dc:subject', async () => {
    const feed = await parseFeed(fixture('rdf-rss-1.0.rdf'), URL_);
    expect(feed).toMatchObject({ parser: 'rss-parser', language: 'de' });
    expect(feed.entries[0]).toMatchObject({
      link: 'https://rdf.example.net/1',
      author: 'Redaktion',
      categories: ['Energie'],
      published: '2024-03-05T11:00:00+01:00',
      summaryHtml: 'Kurzfassung.',
      contentHtml: '<p>Langfassung &uuml;ber das Abkommen.</p>',
    });
  });

  it('reads a JSON Feed through feedsmith, escaping plain-text content', async () => {
    const feed = await parseFeed(fixture('json-feed-1.1.json'), URL_);
    expect(feed).toMatchObject({
      parser: 'feedsmith',
      title: 'JSON Feed sample',
      link: 'https://json.example.org/',
    });
    expect(feed.entries[0]).toMatchObject({
      guid: 'json-1',
      categories: ['energy', 'solar'],
      author: 'Dana',
    });
    expect(feed.entries[1]!.contentHtml).toBe(
      'Plain text only: 3 &lt; 4 &amp; 5 > 2.\n\nSecond paragraph.',
    );
  });

  it('reads a windows-1251 Russian feed once its bytes are decoded', async () => {
    const feed = await parseFeed(fixture('russian-windows-1251.rss'), URL_);
    expect(feed.title).toBe('Новости Центральной Азии');
    expect(feed.entries.map((e) => e.title)).toEqual([
      'Казахстан и Узбекистан подписали соглашение',
      'Туркменистан: переговоры в Ашхабаде',
    ]);
  });

  it('is not affected by a failed parse before it', async () => {
    await parseError(rss('<item><title>broken</item>'));
    const feed = await parseFeed(fixture('rss-without-version.rss'), URL_);
    expect(feed.entries).toHaveLength(1);
  });

  it('hands text that would make rss-parser quadratic to feedsmith', async () => {
    const lines = 'line&lt;br&gt;\n'.repeat(4000);
    const feed = await parseFeed(
      rss(`<item><title>long</title><description>${lines}</description></item>`),
      URL_,
    );
    expect(feed.parser).toBe('feedsmith');
    expect(feed.entries[0]!.summaryHtml?.trim()).toBe('line<br>\n'.repeat(4000).trim());
  });

  it.each([
    ['an empty body', '', 'not a feed: empty body'],
    ['a blank body', ' \n\t ', 'not a feed: empty body'],
    ['an HTML page', fixture('html-page.html'), 'not a feed: got an HTML page'],
    [
      'an html root without a doctype',
      '<html><body>hi</body></html>',
      'not a feed: got an HTML page',
    ],
    [
      'an XHTML page',
      '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html/>',
      'not a feed: got an HTML page',
    ],
    [
      'an OPML document',
      '<?xml version="1.0"?><opml version="2.0"><body/></opml>',
      'not a feed: <opml> document',
    ],
    [
      'plain text',
      'Service unavailable',
      'not a feed: invalid XML (Non-whitespace before first tag.)',
    ],
    [
      'a truncated feed',
      rss('<item><title>a</title></item>').slice(0, -20),
      'not a feed: invalid XML (Unclosed root tag)',
    ],
    [
      'an <rss> with no channel',
      '<rss version="2.0"></rss>',
      'not a feed: <rss> document without a <channel>',
    ],
    [
      'an RSS 1.0 document with no channel',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"></rdf:RDF>',
      'not a feed: <rdf:rdf> document without a <channel>',
    ],
    [
      'a prolog with no element',
      '<?xml version="1.0"?><!-- nothing -->',
      'not a feed: no root element',
    ],
    [
      'JSON that is not a JSON Feed',
      '{"status": "ok"}',
      'not a feed: JSON document is not a JSON Feed',
    ],
  ])('rejects %s with a permanent FeedError', async (_name, body, message) => {
    const error = await parseError(body);
    expect(error.message).toBe(message);
    expect(error.url).toBe(URL_);
    expect(error.details.kind).toBe('permanent');
  });

  it('names the JSON syntax error for broken JSON', async () => {
    expect((await parseError('{"version": ')).message).toMatch(/^not a feed: invalid JSON \(.+\)$/);
  });

  it('rejects nothing but FeedError for damaged feeds', async () => {
    const good = fixture('trend-central-asia.rss');
    const damaged = fc
      .tuple(fc.nat(good.length), fc.nat(good.length), fc.string({ maxLength: 8 }))
      .map(([a, b, junk]) => good.slice(0, Math.min(a, b)) + junk + good.slice(Math.max(a, b)));
    await fc.assert(
      fc.asyncProperty(fc.oneof(damaged, fc.string()), async (body) => {
        await parseFeed(body, URL_).catch((e: unknown) => expect(e).toBeInstanceOf(FeedError));
      }),
      { numRuns: 150 },
    );
  });
});

describe('the two parser paths', () => {
  it.each([
    'trend-central-asia.rss',
    'atom-plain.atom',
    'rdf-rss-1.0.rdf',
    'rss-without-version.rss',
  ])('map %s to the same entries, so keys survive a switch of parser', async (file) => {
    const xml = fixture(file);
    const root = file.endsWith('.atom') ? 'feed' : 'rss';
    const viaRssParser = await readWithRssParser(xml, root);
    const viaFeedsmith = await readWithFeedsmith(xml);
    const comparable = ({
      guid,
      link,
      title,
      published,
      updated,
      categories,
      author,
    }: (typeof viaRssParser.entries)[number]) => ({
      guid,
      link,
      title,
      published,
      updated,
      categories,
      author,
    });
    expect(viaFeedsmith.entries.map(comparable)).toEqual(viaRssParser.entries.map(comparable));
    expect(viaFeedsmith.entries.map((e) => e.contentHtml)).toEqual(
      viaRssParser.entries.map((e) => e.contentHtml),
    );
  });
});

describe('snippetCost', () => {
  it.each([
    ['text without markup', 'plain words', 0],
    ['well-formed tags', '<p>a</p>', 2 + 3],
    ['a < with no > after it', 'ab<cd', 3],
    ['tags followed by a newline scan on to a later >', '<br>\n<br>x', 8 + 3],
  ])('bounds the regex work for %s', (_name, text, cost) => {
    expect(snippetCost(text)).toBe(cost);
  });

  it('counts, for every <, the distance to the next > not followed by a newline', () => {
    const byDefinition = (text: string) => {
      let cost = 0;
      for (let i = 0; i < text.length; i++) {
        if (text[i] !== '<') continue;
        let j = i + 1;
        while (j < text.length && !(text[j] === '>' && text[j + 1] !== '\n')) j++;
        cost += j - i;
      }
      return cost;
    };
    const piece = fc.constantFrom('<', '>', '\n', 'a', '<br>', '>\n', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(snippetCost(text)).toBe(byDefinition(text));
      }),
    );
  });
});
