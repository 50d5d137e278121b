/**
 * The entry shapes real feeds use for their fields beyond plain RSS and Atom, each read into the
 * RawEntry field a reader expects (the shapes feedparser's own test documents check).
 */
import { describe, expect, it } from 'vitest';
import type { RawEntry } from '../../../src/domain/item';
import { parseFeed } from '../../../src/feeds/parse';
import { readWithFeedsmith } from '../../../src/feeds/parse-feedsmith';
import { readWithRssParser } from '../../../src/feeds/parse-rss-parser';

const URL_ = 'https://wire.example.com/feed.xml';
const NS =
  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
  'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/"';
const rss = (item: string) =>
  `<?xml version="1.0"?><rss version="2.0" ${NS}><channel><title>Wire</title><item>${item}</item></channel></rss>`;
const atom = (entry: string) =>
  `<feed xmlns="http://www.w3.org/2005/Atom" ${NS}><title>Wire</title><entry>${entry}</entry></feed>`;

async function entryOf(xml: string): Promise<RawEntry> {
  const feed = await parseFeed(xml, URL_);
  expect(feed.entries).toHaveLength(1);
  return feed.entries[0]!;
}

describe('reading entry fields', () => {
  it.each<[string, string, Partial<RawEntry>]>([
    [
      'an XHTML body as the content, markup and order kept',
      rss(
        '<title>Talks</title><body xmlns="http://www.w3.org/1999/xhtml"><p>Ministers <b>met</b> in Astana.</p></body>',
      ),
      { contentHtml: '<p>Ministers <b>met</b> in Astana.</p>' },
    ],
    [
      'an xhtml:body as the content',
      rss(
        '<title>Talks</title><xhtml:body xmlns:xhtml="http://www.w3.org/1999/xhtml"><xhtml:p>Talks ended.</xhtml:p></xhtml:body>',
      ),
      { contentHtml: '<xhtml:p>Talks ended.</xhtml:p>' },
    ],
    [
      'a fullitem as the content',
      rss('<title>Talks</title><fullitem>&lt;p&gt;Full report&lt;/p&gt;</fullitem>'),
      { contentHtml: '<p>Full report</p>' },
    ],
    [
      'dc:description as the summary',
      rss('<title>T</title><dc:description>Short version</dc:description>'),
      { summaryHtml: 'Short version' },
    ],
    [
      'itunes:summary, itunes:author and nested itunes:category',
      rss(
        '<title>Episode 12</title><itunes:summary>This week: water</itunes:summary><itunes:author>Radio Desk</itunes:author>' +
          '<itunes:category text="News"><itunes:category text="Politics"/></itunes:category>',
      ),
      { summaryHtml: 'This week: water', author: 'Radio Desk', categories: ['News', 'Politics'] },
    ],
    [
      'media:title, media:group description and media:category',
      rss(
        '<media:title>Flood footage</media:title><media:category>weather</media:category>' +
          '<media:group><media:description>Rivers rose overnight</media:description></media:group>',
      ),
      { title: 'Flood footage', summaryHtml: 'Rivers rose overnight', categories: ['weather'] },
    ],
    [
      'dcterms:issued and dcterms:modified as the dates',
      rss(
        '<title>T</title><dcterms:issued>2024-03-05T09:00:00Z</dcterms:issued><dcterms:modified>2024-03-06T09:00:00Z</dcterms:modified>',
      ),
      { published: '2024-03-05T09:00:00Z', updated: '2024-03-06T09:00:00Z' },
    ],
    [
      'a permalink guid as the link when there is no <link>',
      rss('<title>T</title><guid>https://wire.example.com/news/77</guid>'),
      { guid: 'https://wire.example.com/news/77', link: 'https://wire.example.com/news/77' },
    ],
    [
      'a dc:author when there is no other author',
      rss('<title>T</title><dc:author>Night editor</dc:author>'),
      { author: 'Night editor' },
    ],
    [
      'Atom base64 text decoded',
      atom(
        `<title mode="base64" type="text/html">${Buffer.from('Budget <b>passed</b>').toString('base64')}</title>` +
          `<summary mode="base64">${Buffer.from('Vote: 61 to 40').toString('base64')}</summary>`,
      ),
      { title: 'Budget <b>passed</b>', summaryHtml: 'Vote: 61 to 40' },
    ],
    [
      'Atom 1.0 content of a binary media type decoded',
      atom(
        `<title>T</title><content type="application/octet-stream">${Buffer.from('<p>Full text</p>').toString('base64')}</content>`,
      ),
      { contentHtml: '<p>Full text</p>' },
    ],
    [
      'Atom content of an XML media type as written',
      atom('<title>T</title><content type="application/rss+xml">not base64</content>'),
      { contentHtml: 'not base64' },
    ],
    [
      'an Atom category by its term',
      atom('<title>T</title><category term="energy" label="Energy &amp; power"/>'),
      { categories: ['energy'] },
    ],
    [
      'the Atom alternate link, a link without href skipped',
      atom(
        '<title>T</title><link rel="enclosure"/><link rel="alternate" href="https://wire.example.com/a/1"/>',
      ),
      { link: 'https://wire.example.com/a/1' },
    ],
  ])('reads %s', async (_, xml, expected) => {
    expect(await entryOf(xml)).toMatchObject(expected);
  });

  it('does not take a guid that is not a permalink as the link', async () => {
    const entry = await entryOf(
      rss('<title>T</title><guid isPermaLink="false">https://wire.example.com/news/78</guid>'),
    );
    expect(entry.link).toBeUndefined();
  });

  it('does not take a guid that is not an absolute URL as the link', async () => {
    expect((await entryOf(rss('<title>T</title><guid>8841</guid>'))).link).toBeUndefined();
  });
});

describe('both parser paths', () => {
  it.each([
    [
      'a media:thumbnail',
      '<media:thumbnail url="https://cdn.wire.example.com/t.jpg"/>',
      'https://cdn.wire.example.com/t.jpg',
    ],
    [
      'a media:content image in a media:group',
      '<media:group><media:content url="https://cdn.wire.example.com/g.jpg" medium="image"/></media:group>',
      'https://cdn.wire.example.com/g.jpg',
    ],
    [
      'an image enclosure',
      '<enclosure url="https://cdn.wire.example.com/e.png" type="image/png" length="10"/>',
      'https://cdn.wire.example.com/e.png',
    ],
    [
      'an itunes:image',
      '<itunes:image href="https://cdn.wire.example.com/i.jpg"/>',
      'https://cdn.wire.example.com/i.jpg',
    ],
  ])('read the image of %s and the permalink guid alike', async (_, element, image) => {
    const xml = rss(`<title>T</title><guid>https://wire.example.com/n/5</guid>${element}`);
    const expected = { image, link: 'https://wire.example.com/n/5' };
    expect((await readWithRssParser(xml, 'rss')).entries[0]).toMatchObject(expected);
    expect((await readWithFeedsmith(xml)).entries[0]).toMatchObject(expected);
  });
});

describe('reading documents a forgiving reader reads', () => {
  it('reads RSS whose own elements carry a prefix, keeping other vocabularies apart', async () => {
    const xml =
      '<r:rss version="2.0" xmlns:r="http://backend.userland.com/rss2" xmlns:x="urn:other"><r:channel><r:title>Wire</r:title>' +
      '<r:item><r:title>Grain exports up</r:title><x:description>wrong</x:description><r:description>right</r:description></r:item>' +
      '</r:channel></r:rss>';
    expect(await entryOf(xml)).toMatchObject({ title: 'Grain exports up', summaryHtml: 'right' });
  });

  it('reads a CDF channel: capitals, HREF and LASTMOD attributes, ABSTRACT', async () => {
    const xml =
      '<?xml version="1.0"?><CHANNEL HREF="https://wire.example.com/"><TITLE>Wire</TITLE>' +
      '<ITEM HREF="https://wire.example.com/a/9" LASTMOD="2024-03-05T09:00:00+05:00"><TITLE>Rail link opens</TITLE>' +
      '<ABSTRACT>First train left at dawn.</ABSTRACT></ITEM></CHANNEL>';
    const feed = await parseFeed(xml, URL_);
    expect(feed.link).toBe('https://wire.example.com/');
    expect(feed.entries).toEqual([
      expect.objectContaining({
        title: 'Rail link opens',
        link: 'https://wire.example.com/a/9',
        summaryHtml: 'First train left at dawn.',
        updated: '2024-03-05T09:00:00+05:00',
      }),
    ]);
  });

  it('reads a <channel> written without its <rss> wrapper', async () => {
    const xml =
      '<channel><title>Wire</title><item><title>Bare channel</title><link>https://wire.example.com/b</link></item></channel>';
    expect(await entryOf(xml)).toMatchObject({
      title: 'Bare channel',
      link: 'https://wire.example.com/b',
    });
  });
});
