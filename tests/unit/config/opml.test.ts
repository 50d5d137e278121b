import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors';
import { parseOpml } from '../../../src/config/opml';
import { appendFeeds, planOpmlImport } from '../../../src/config/opml-merge';
import { writeOpml } from '../../../src/config/opml-write';

const fixture = (name: string) => readFileSync(`tests/fixtures/opml/${name}.opml`, 'utf8');
const feedsOf = (name: string) =>
  parseOpml(fixture(name), name).feeds.map((f) => [f.title, f.url, f.folders.join(' / ')]);

describe('reading OPML as readers export it', () => {
  it('Feedly: feeds in folders, entities in titles decoded', () => {
    expect(feedsOf('feedly')).toEqual([
      ['Eurasianet', 'https://eurasianet.org/rss.xml', 'Central Asia'],
      ['The Times of Central Asia', 'https://timesca.com/feed/', 'Central Asia'],
      [
        'Caspian "Pipeline" Watch',
        'https://pipeline-watch.example/feed.xml?utm_source=feedly',
        'Energy & Water',
      ],
    ]);
  });

  it('Inoreader: feeds at the top level beside folders, and an empty folder', () => {
    expect(feedsOf('inoreader').map(([t, , f]) => [t, f])).toEqual([
      ['Kloop', 'Regional'],
      ['Kazinform — English', 'Regional'],
      ['Eurasianet (again, from another folder)', ''],
    ]);
  });

  it('Thunderbird: nested folders, namespaced attributes, character references', () => {
    expect(feedsOf('thunderbird')).toEqual([
      [
        'The Diplomat – Central Asia',
        'https://thediplomat.com/regions/central-asia/feed/',
        'Politics / Asia',
      ],
      ['Fergana Agency', 'https://fergana.agency/rss/', 'Politics'],
      ['Local mailbox feed', 'mailbox:///home/user/feed', ''],
    ]);
  });

  it('NetNewsWire: OPML 1.1 with tabs, a comment and htmlUrl', () => {
    const { title, feeds } = parseOpml(fixture('netnewswire'), 'nnw');
    expect(title).toBe('Subscriptions-OnMyMac.opml');
    expect(feeds.map((f) => [f.title, f.folders, f.htmlUrl])).toEqual([
      ['UN News — Asia Pacific', [], 'https://news.un.org/en/news/region/asia-pacific'],
      ['Café Bishkek Notes', ['Café Bishkek'], 'https://cafe-bishkek.example/'],
    ]);
  });

  it.each([
    [
      'an entity bomb',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><opml><body><outline text="&lol2;" xmlUrl="https://a.example/"/></body></opml>',
      'DOCTYPE',
    ],
    ['broken XML', '<opml><body><outline text="x">\n</body></opml>', 'not well-formed XML'],
    ['another XML document', '<rss version="2.0"><channel/></rss>', 'not an OPML file'],
  ])('refuses %s with a clear message', (_, text, message) => {
    const error = (() => {
      try {
        parseOpml(text, 'in.opml');
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('in.opml');
    expect((error as ConfigError).message).toContain(message);
  });
});

describe('writing OPML', () => {
  it('any name and URL survive a write and a read', () => {
    const feeds = [
      { url: 'https://a.example/feed?x=1&y="2"', name: 'A & B <News> "quoted"\nsecond line' },
      { url: 'https://b.example/rss', name: 'Café — Ташкент 😀' },
      { url: 'https://c.example/atom' },
    ];
    const text = writeOpml(feeds, { title: 'T & co', now: new Date('2026-01-02T03:04:05Z') });
    expect(text).toContain('<dateCreated>Fri, 02 Jan 2026 03:04:05 GMT</dateCreated>');
    const back = parseOpml(text, 'out.opml');
    expect(back.title).toBe('T & co');
    expect(back.feeds.map((f) => [f.url, f.title])).toEqual([
      [feeds[0]!.url, 'A & B <News> "quoted"\nsecond line'],
      [feeds[1]!.url, feeds[1]!.name],
      [feeds[2]!.url, feeds[2]!.url],
    ]);
  });
});

describe('planning an import', () => {
  it('derives ids from titles, keeps them unique, and skips known, repeated and non-http feeds', () => {
    const existing = [{ id: 'eurasianet', url: 'https://eurasianet.org/rss.xml' }];
    const incoming = [
      ...parseOpml(fixture('feedly'), 'f').feeds,
      ...parseOpml(fixture('inoreader'), 'i').feeds,
      ...parseOpml(fixture('thunderbird'), 't').feeds,
      ...parseOpml(fixture('netnewswire'), 'n').feeds,
      { url: 'https://timesca.com/feed', title: 'Times again', folders: [] },
      { url: 'https://kloop.kg/other-feed', title: 'Kloop', folders: [] },
    ];
    const plan = planOpmlImport(existing, incoming);
    expect(plan.added.map((f) => [f.id, f.name])).toEqual([
      ['the-times-of-central-asia', 'The Times of Central Asia'],
      ['caspian-pipeline-watch', 'Caspian "Pipeline" Watch'],
      ['kloop', 'Kloop'],
      ['kazinform-english', 'Kazinform — English'],
      ['the-diplomat-central-asia', 'The Diplomat – Central Asia'],
      ['fergana-agency', 'Fergana Agency'],
      ['un-news-asia-pacific', 'UN News — Asia Pacific'],
      ['cafe-bishkek-notes', 'Café Bishkek Notes'],
      ['kloop-2', 'Kloop'],
    ]);
    expect(plan.skipped.map((s) => [s.url, s.reason])).toEqual([
      ['https://eurasianet.org/rss.xml', 'already in feeds.yaml as "eurasianet"'],
      ['https://www.eurasianet.org/rss.xml/', 'already in feeds.yaml as "eurasianet"'],
      ['mailbox:///home/user/feed', 'not an http(s) URL'],
      ['https://timesca.com/feed', 'listed earlier in the file as "the-times-of-central-asia"'],
    ]);
  });

  it('a feed without a title gets an id from its address', () => {
    const plan = planOpmlImport(
      [],
      [{ url: 'https://www.News.example/Feeds/All.xml', folders: [] }],
    );
    expect(plan.added).toEqual([
      { id: 'news-example-feeds-all-xml', url: 'https://www.news.example/Feeds/All.xml' },
    ]);
  });
});

describe('appending feeds to feeds.yaml', () => {
  it('keeps the comments and layout of the file', () => {
    const before = [
      '# Operator feeds: reviewed monthly',
      'feeds:',
      '  - id: eurasianet # the regional standby',
      '    url: https://eurasianet.org/rss.xml',
      '    interval: 15m',
      '',
      '# end of list',
      '',
    ].join('\n');
    const after = appendFeeds(before, [
      { id: 'kloop', url: 'https://kloop.kg/feed/', name: 'Kloop: "news" & more' },
    ]);
    expect(after.startsWith(before.split('\n# end')[0]!)).toBe(true);
    expect(after).toContain('# Operator feeds: reviewed monthly');
    expect(after).toContain('# the regional standby');
    expect(after).toContain(
      '  - id: kloop\n    url: https://kloop.kg/feed/\n    name: \'Kloop: "news" & more\'',
    );
  });

  it('starts a list in an empty file or one with `feeds: []`', () => {
    for (const start of ['', 'feeds: []\n'])
      expect(appendFeeds(start, [{ id: 'a', url: 'https://a.example/' }])).toBe(
        'feeds:\n  - id: a\n    url: https://a.example/\n',
      );
  });
});
