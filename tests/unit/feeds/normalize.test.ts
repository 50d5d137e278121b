import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../src/feeds/dates';
import { decodeFeedBytes } from '../../../src/feeds/decode';
import { ItemSchema, type RawEntry, type RawFeed } from '../../../src/domain/item';
import { itemKey, normalizeLink, storyKey, titleFingerprint } from '../../../src/feeds/item-key';
import {
  normalizeEntries,
  normalizeFeed,
  type NormalizeContext,
} from '../../../src/feeds/normalize';
import { parseFeed } from '../../../src/feeds/parse';

const fetchedAt = new Date('2024-03-05T12:00:00.000Z');
const ctx: NormalizeContext = { feedId: 'wire', fetchedAt };
const feedOf = (entries: Array<Partial<RawEntry>>, extra: Partial<RawFeed> = {}): RawFeed => ({
  parser: 'rss-parser',
  link: 'https://wire.example.com/',
  ...extra,
  entries: entries.map((e) => ({ categories: [], ...e })),
});
const one = (entry: Partial<RawEntry>, c: NormalizeContext = ctx, extra: Partial<RawFeed> = {}) => {
  const items = normalizeFeed(feedOf([entry], extra), c);
  expect(items).toHaveLength(1);
  return items[0]!;
};

describe('normalizeFeed', () => {
  it('turns a real feed into valid items with plain text, ISO dates and the feed language', async () => {
    const xml = decodeFeedBytes(
      readFileSync(new URL('../../fixtures/feeds/trend-central-asia.rss', import.meta.url)),
    );
    const items = normalizeFeed(
      await parseFeed(xml, 'https://en.trend.az/feeds/centralasia.rss'),
      ctx,
    );
    expect(items).toHaveLength(5);
    for (const item of items) expect(ItemSchema.parse(item)).toEqual(item);
    expect(items[0]).toMatchObject({
      feedId: 'wire',
      title: 'Turkmenistan, UN discuss strategic cooperation',
      categories: ['Turkmenistan', 'Politics'],
      publishedAt: '2021-10-15T05:12:00.000Z',
      fetchedAt: '2024-03-05T12:00:00.000Z',
      lang: 'en',
      storyKey: 'l:https://en.trend.az/centralasia/turkmenistan/3495081.html',
    });
    expect(items[0]!.text.split('\n\n').slice(0, 2)).toEqual([
      'BAKU, Azerbaijan, Oct. 15',
      'By Farida Nuri - Trend:',
    ]);
    expect(items[0]!.description).toMatch(/^Turkmenistan and UN discussed strategic cooperation/);
  });

  it('gives the same keys on every run and different keys for different feeds', () => {
    const feed = feedOf([
      { guid: 'a', title: 'A' },
      { link: 'https://wire.example.com/b', title: 'B' },
      { title: 'C' },
    ]);
    const keys = normalizeFeed(feed, ctx).map((i) => i.key);
    expect(
      normalizeFeed(feed, { ...ctx, fetchedAt: new Date('2030-01-01T00:00:00Z') }).map(
        (i) => i.key,
      ),
    ).toEqual(keys);
    expect(normalizeFeed(feed, { ...ctx, feedId: 'other' }).map((i) => i.key)).not.toContain(
      keys[0],
    );
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it.each([
    ['the trimmed guid', { guid: '  g-1 ', link: 'https://x.example/1', title: 'T' }, 'g:g-1'],
    [
      'the normalised link without a guid',
      { link: 'https://WWW.x.example/1/?utm_source=rss#top', title: 'T' },
      'l:https://x.example/1',
    ],
    [
      'the title and date as found without guid or link',
      { title: '<b>T</b>', published: 'Mon, 4 Mar 2024 10:00 GMT' },
      't:T|Mon, 4 Mar 2024 10:00 GMT',
    ],
  ])('derives the key from %s', (_name, entry, identity) => {
    const expected = createHash('sha256')
      .update(`wire\n${identity}`)
      .digest('base64url')
      .slice(0, 22);
    expect(one(entry).key).toBe(expected);
  });

  it('keeps the first of entries that share a key', () => {
    const items = normalizeFeed(
      feedOf([
        { guid: 'same', title: 'First' },
        { guid: 'same', title: 'Second' },
        { link: 'https://wire.example.com/x?utm_medium=feed', title: 'Third' },
        { link: 'https://wire.example.com/x', title: 'Fourth' },
      ]),
      ctx,
    );
    expect(items.map((i) => i.title)).toEqual(['First', 'Third']);
  });

  it('holds back an entry that has only a guid, author, date and category until it has something to read', () => {
    const bare = {
      guid: 'urn:wire:8841',
      author: 'Desk (desk@wire.example.com)',
      published: '2024-03-05T09:00:00Z',
      categories: ['Energy'],
    };
    const feed = feedOf([bare, { title: 'Pipeline talks resume', guid: 'urn:wire:8842' }]);
    expect(normalizeFeed(feed, ctx).map((i) => i.guid)).toEqual(['urn:wire:8842']);
    expect(normalizeEntries(feed, ctx)[0]).toMatchObject({
      guid: 'urn:wire:8841',
      title: '',
      text: '',
      author: 'Desk',
      categories: ['Energy'],
      publishedAt: '2024-03-05T09:00:00.000Z',
    });
    // The next poll brings its title: the same guid, now an item.
    const filled = normalizeFeed(feedOf([{ ...bare, title: 'Pipeline deal signed' }]), ctx);
    expect(filled).toEqual([
      expect.objectContaining({ guid: 'urn:wire:8841', title: 'Pipeline deal signed' }),
    ]);
  });

  it.each([
    ['jo@wire.example.com (Jo Abenova)', 'Jo Abenova'],
    ['Jo Abenova (jo@wire.example.com)', 'Jo Abenova'],
    ['Jo Abenova', 'Jo Abenova'],
  ])('shows the author %s by name', (author, name) => {
    expect(one({ title: 'T', author }).author).toBe(name);
  });

  it('reads a character reference to a C1 control as the windows-1252 character', () => {
    expect(one({ title: 'Don&#146;t wait', summaryHtml: 'it&#146;s here' })).toMatchObject({
      title: 'Don\u2019t wait',
      description: 'it\u2019s here',
    });
  });

  it.each([
    [
      'an absolute image as is',
      'https://cdn.example.net/p/1.jpg',
      'https://cdn.example.net/p/1.jpg',
    ],
    [
      'a relative image against the item link',
      '../img/2.png',
      'https://wire.example.com/img/2.png',
    ],
    ['a javascript: image as none', 'javascript:alert(1)', undefined],
    ['a data: image as none', 'data:image/png;base64,AAAA', undefined],
  ])('keeps %s', (_, image, expected) => {
    const item = one({ title: 'T', link: 'https://wire.example.com/news/1', image });
    expect(item.image).toBe(expected);
    expect(ItemSchema.parse(item)).toEqual(item);
  });

  it('drops entries with neither title nor text nor link, and keeps a link-only entry', () => {
    const items = normalizeFeed(
      feedOf([{ title: '  ', summaryHtml: '<p> </p>' }, { link: '/only-a-link' }]),
      ctx,
    );
    expect(items).toEqual([
      expect.objectContaining({
        title: '',
        text: '',
        link: 'https://wire.example.com/only-a-link',
      }),
    ]);
  });

  it('makes titles plain single-line text', () => {
    expect(one({ title: ' Cotton &amp;amp; <i>wheat</i>:\n  harvest &mdash; report ' }).title).toBe(
      'Cotton &amp; wheat: harvest — report',
    );
  });

  it('titles an untitled entry with the start of its text, cut on a word boundary', () => {
    const text =
      'The delegation of Kazakhstan arrived in Ashgabat on Monday for two days of talks on water, energy and transport.';
    const title = one({ contentHtml: `<p>${text}</p>` }).title;
    expect(title).toBe(
      'The delegation of Kazakhstan arrived in Ashgabat on Monday for two days of talks…',
    );
    expect(title.length).toBeLessThanOrEqual(81);
    expect(one({ summaryHtml: 'Short <b>note</b>.' }).title).toBe('Short note.');
  });

  it('takes text from the content, else the description', () => {
    expect(
      one({ title: 't', contentHtml: '<p>Full</p><p>story</p>', summaryHtml: 'Short' }),
    ).toMatchObject({ text: 'Full\n\nstory', description: 'Short' });
    expect(one({ title: 't', summaryHtml: '<p>Short</p>' })).toMatchObject({
      text: 'Short',
      description: 'Short',
    });
    expect(one({ title: 't', contentHtml: '<p> </p>', summaryHtml: 'Short' }).text).toBe('Short');
  });

  it.each([
    ['a relative link against the feed link', '/news/1', {}, 'https://wire.example.com/news/1'],
    [
      'a relative link against the feed URL when the feed has no link',
      'news/1',
      { link: undefined },
      'https://feeds.example.org/x/news/1',
    ],
    [
      'a relative feed link against the feed URL',
      'news/1',
      { link: '/site/' },
      'https://feeds.example.org/site/news/1',
    ],
    [
      'an absolute link unchanged',
      ' https://other.example/a?b=1#c ',
      {},
      'https://other.example/a?b=1#c',
    ],
  ])('resolves %s', (_name, link, extra, expected) => {
    expect(
      one({ title: 't', link }, { ...ctx, url: 'https://feeds.example.org/x/rss' }, extra).link,
    ).toBe(expected);
  });

  it.each([
    'javascript:alert(1)',
    'mailto:desk@wire.example.com',
    'ftp://wire.example.com/f',
    'http://',
  ])('drops the non-http(s) link %s', (link) => {
    expect(one({ title: 't', link }).link).toBeUndefined();
  });

  it('trims, de-duplicates and drops empty categories', () => {
    expect(
      one({
        title: 't',
        categories: [' Politics ', 'politics', '', '  ', 'Central  Asia', 'Energy'],
      }).categories,
    ).toEqual(['Politics', 'Central Asia', 'Energy']);
  });

  it.each([
    ['a name', ' Farida Nuri ', 'Farida Nuri'],
    ['an RSS email with a name', 'desk@trend.az (Farida Nuri)', 'Farida Nuri'],
    ['nothing', '  ', undefined],
  ])('reads an author given as %s', (_name, author, expected) => {
    expect(one({ title: 't', author }).author).toBe(expected);
  });

  it.each([
    [
      'the published date',
      { published: 'Tue, 5 Mar 2024 10:00:00 +0500', updated: '2024-03-05T11:00:00Z' },
      '2024-03-05T05:00:00.000Z',
    ],
    [
      'the updated date when there is no published one',
      { updated: '2024-03-05T11:00:00Z' },
      '2024-03-05T11:00:00.000Z',
    ],
    [
      'the updated date when the published one is unreadable',
      { published: 'yesterday', updated: '2024-03-01' },
      '2024-03-01T00:00:00.000Z',
    ],
    ['the fetch time when there is no date', {}, '2024-03-05T12:00:00.000Z'],
    [
      'the fetch time when the date is unreadable',
      { published: 'Seg, 24 Set 2018 19:42:40 -0300' },
      '2024-03-05T12:00:00.000Z',
    ],
    [
      'a date less than a day ahead as it is',
      { published: '2024-03-06T11:00:00Z' },
      '2024-03-06T11:00:00.000Z',
    ],
    [
      'now for a date more than a day ahead',
      { published: '2024-03-07T12:00:01Z' },
      '2024-03-05T12:00:00.000Z',
    ],
  ])('publishes at %s', (_name, dates, expected) => {
    expect(one({ title: 't', ...dates }).publishedAt).toBe(expected);
  });

  it('clamps future dates to the injected now rather than the fetch time', () => {
    const now = new Date('2024-03-05T12:30:00Z');
    expect(
      one({ title: 't', published: '2025-01-01T00:00:00Z' }, { ...ctx, now }).publishedAt,
    ).toBe(now.toISOString());
  });

  it('leaves lang out when the feed names no language', () => {
    expect(one({ title: 't' }, ctx, { language: ' kk ' }).lang).toBe('kk');
    expect(one({ title: 't' })).not.toHaveProperty('lang');
  });
});

describe('parseFeedDate', () => {
  it.each([
    ['Fri, 15 Oct 2021 09:12:00 +0400', '2021-10-15T05:12:00.000Z'],
    ['Fri, 15 Oct 2021 09:12:00 GMT', '2021-10-15T09:12:00.000Z'],
    ['Fri, 15 Oct 2021 09:12:00 EST', '2021-10-15T14:12:00.000Z'],
    ['Tue, 5 Mar 2024 12:30:00 MSK', '2024-03-05T09:30:00.000Z'],
    ['5 Mar 2024 14:00 +0500', '2024-03-05T09:00:00.000Z'],
    ['Tuesday, 05 March 2024 14:00:00 UTC', '2024-03-05T14:00:00.000Z'],
    ['Mar 5, 2024 2:00 PM', '2024-03-05T14:00:00.000Z'],
    ['5 Mar 24 14:00:00 Z', '2024-03-05T14:00:00.000Z'],
    ['Tue, 05 Mar 2024 14:00:00 GMT+0300', '2024-03-05T11:00:00.000Z'],
    ['05 Mar 2024', '2024-03-05T00:00:00.000Z'],
    ['2024-03-05T14:00:00Z', '2024-03-05T14:00:00.000Z'],
    ['2024-03-05T14:00:00.123+05:00', '2024-03-05T09:00:00.123Z'],
    ['2024-03-05T14:00:00+0530', '2024-03-05T08:30:00.000Z'],
    ['2024-03-05 14:00:00', '2024-03-05T14:00:00.000Z'],
    ['2024-03-05', '2024-03-05T00:00:00.000Z'],
  ])('reads %s', (raw, iso) => {
    expect(parseFeedDate(raw)?.toISOString()).toBe(iso);
  });

  it.each([
    '',
    'yesterday',
    '31 Feb 2024',
    '2024-13-01',
    '0099-01-01',
    'Seg, 24 Set 2018 19:42:40 -0300',
    '2024-03-05T25:00:00Z',
    'x'.repeat(500),
  ])('gives up on %j', (raw) => {
    expect(parseFeedDate(raw)).toBeUndefined();
  });
});

describe('item identity helpers', () => {
  it.each([
    ['HTTPS://WWW.Example.COM/News/1/', 'https://example.com/News/1'],
    [
      'https://example.com/a?utm_source=x&b=2&fbclid=y&a=1&gclid=z&UTM_Campaign=q#frag',
      'https://example.com/a?a=1&b=2',
    ],
    ['http://example.com:80/', 'https://example.com'],
    ['https://example.com', 'https://example.com'],
    // A site migration: https, www., a trailing slash and the ad platforms' click ids.
    [
      'https://www.example.com/news/1/?msclkid=a&mc_cid=b&mc_eid=c&yclid=d&igshid=e&dclid=f',
      'https://example.com/news/1',
    ],
    ['http://example.com/news/1', 'https://example.com/news/1'],
    ['https://www2.example.com/x//', 'https://www2.example.com/x'],
    // An empty query, or one of separators only, names the same page as none.
    ['https://www.Example.com/a/?', 'https://example.com/a'],
    ['https://example.com/a?&&', 'https://example.com/a'],
    ['https://example.com/a?=', 'https://example.com/a?='],
  ])('normalises the link %s', (link, expected) => {
    expect(normalizeLink(link)).toBe(expected);
  });

  it.each(['/relative', 'mailto:a@b.c', 'not a url'])('refuses to normalise %s', (link) => {
    expect(normalizeLink(link)).toBeUndefined();
  });

  it.each([
    ['Kazakhstan, Uzbekistan sign agreement!', 'kazakhstan uzbekistan sign agreement'],
    ['  Туркменистан: переговоры — в «Ашхабаде» ', 'туркменистан переговоры в ашхабаде'],
    ['Café crème 2024', 'café crème 2024'],
    ['!!!', ''],
  ])('fingerprints the title %j', (title, expected) => {
    expect(titleFingerprint(title)).toBe(expected);
  });

  it('recognises one story from two feeds by link, else by title', () => {
    expect(storyKey({ link: 'https://www.trend.az/a?utm_source=x', title: 'A', key: 'k1' })).toBe(
      storyKey({ link: 'https://trend.az/a', title: 'B', key: 'k2' }),
    );
    expect(storyKey({ title: 'UN, Turkmenistan discuss cooperation', key: 'k1' })).toBe(
      't:un turkmenistan discuss cooperation',
    );
    expect(storyKey({ link: 'mailto:x@y.z', title: '!!!', key: 'k1' })).toBe('k:k1');
    expect(itemKey({ feedId: 'a', title: 'x', dateAsFound: '' })).not.toBe(
      itemKey({ feedId: 'b', title: 'x', dateAsFound: '' }),
    );
  });
});
