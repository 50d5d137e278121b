import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppHarness } from '../../support/app-harness';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { entries, rss, type TestEntry } from '../../support/rss';
import { dayItems } from '../../support/archive-day';

/** The JSON line a folded message prints (console --json). */
type Printed = { item: { title: string; feedId: string }; folded?: number };

describe('floods and constant guids on the embedded store', () => {
  let server: FeedServer;
  let harness: AppHarness;

  beforeEach(async () => {
    server = await startFeedServer({});
  });
  afterEach(async () => {
    await harness?.dispose();
    await server.close();
  });

  const pollOnce = async () => (await harness.pollOnce()) as Printed[];

  const warnings = (text: string) =>
    harness.logger.lines.filter((l) => l.includes('WARN') && l.includes(text));

  async function primed(
    feeds: Record<string, TestEntry[]>,
    env: Record<string, string> = {},
    now?: Date,
  ) {
    for (const [id, items] of Object.entries(feeds))
      server.setRoute(`/${id}.xml`, { body: rss(items) });
    harness = await AppHarness.create(
      Object.keys(feeds).map((id) => ({ id, url: server.url(`/${id}.xml`) })),
    );
    await harness.open(now ? { clock: () => now } : {}, env);
    expect(await pollOnce()).toEqual([]);
  }

  it('a primed feed that suddenly lists 10,000 new items posts 20 briefings and one "9,980 more" message, not 10,000', async () => {
    await primed({ wire: entries(3, 'old') });
    const flood = entries(10_000, 'flood', Date.parse('2026-11-28T13:00:00Z')).map((e, i) => ({
      ...e,
      pubDate: new Date(Date.parse('2026-11-28T13:00:00Z') - i * 1000).toUTCString(),
    }));
    server.setRoute('/wire.xml', { body: rss([...flood, ...entries(3, 'old')]) });

    const printed = await pollOnce();
    const single = printed.filter((p) => !p.folded);
    expect(single.map((p) => p.item.title)).toEqual(flood.slice(0, 20).map((e) => e.title));
    expect(printed.filter((p) => p.folded).map((p) => p.folded)).toEqual([9_980]);
    expect(warnings('feed flood')).toHaveLength(1);
    // Nothing is lost: every item is archived, for /briefing and `briefing query`.
    expect(await dayItems(harness.app!.stores.archive, '2026-11-28')).toHaveLength(10_003);
    expect(await pollOnce()).toEqual([]);
    // Three polls of a 10,000-item document and a read of the whole day: real work, not waiting.
  }, 120_000);

  it('a channel over its hourly limit gets its posts and one "N more" message that hour, not one per feed', async () => {
    await primed(
      { a: entries(2, 'a-old'), b: entries(2, 'b-old') },
      { CHANNEL_MAX_POSTS_PER_HOUR: '5', FEED_MAX_POSTS_PER_POLL: '4' },
      // Inside one clock hour, whatever the time the test runs at.
      new Date('2026-11-28T15:10:00Z'),
    );
    const later = Date.parse('2026-11-28T14:00:00Z');
    server.setRoute('/a.xml', {
      body: rss([...entries(6, 'a-new', later), ...entries(2, 'a-old')]),
    });
    server.setRoute('/b.xml', {
      body: rss([...entries(6, 'b-new', later), ...entries(2, 'b-old')]),
    });

    const printed = await pollOnce();
    // Both feeds share the terminal's 5 posts an hour; what is over the limit is told, once.
    expect(printed.filter((p) => !p.folded)).toHaveLength(5);
    const folds = printed.filter((p) => p.folded);
    expect(folds).toHaveLength(1);
    expect(folds[0]!.folded).toBeGreaterThanOrEqual(2);
    expect(warnings('feed flood')).toHaveLength(2);

    // Later that hour the channel was told already: new items are archived, logged, not posted.
    server.setRoute('/a.xml', {
      body: rss([...entries(2, 'a-late', later + 1_800_000), ...entries(6, 'a-new', later)]),
    });
    expect(await pollOnce()).toEqual([]);
    expect(warnings('feed flood')).toHaveLength(3);
    expect(warnings('feed flood').at(-1)).toContain('alreadyTold=1');
  });

  it('a site migration (https, www., tracking parameters, new guids, same titles) posts nothing again', async () => {
    const items = entries(6, 'story').map((e) => ({
      ...e,
      link: e.link!.replace('https:', 'http:'),
    }));
    await primed({ news: items });
    server.setRoute('/news.xml', {
      body: rss(
        items.map((e) => ({
          ...e,
          guid: `urn:cms2:${e.guid}`,
          link: `${e.link!.replace('http://', 'https://www.')}/?utm_source=rss&utm_medium=feed&fbclid=x1`,
        })),
      ),
    });
    expect(await pollOnce()).toEqual([]);
  });

  it('a mass re-key (every item under a new guid and a new link, titles already seen) posts nothing and warns once', async () => {
    const items = entries(8, 'story');
    await primed({ news: items });
    const moved = items.map((e, i) => ({
      ...e,
      guid: `post-${1000 + i}`,
      link: `https://news.example.net/articles/${1000 + i}`,
    }));
    server.setRoute('/news.xml', {
      body: rss([
        { title: 'A genuinely new story', link: 'https://news.example.net/a/1', guid: 'n1' },
        ...moved,
      ]),
    });
    expect((await pollOnce()).map((p) => p.item.title)).toEqual(['A genuinely new story']);
    expect(warnings('renamed its items')).toHaveLength(1);
    expect(await pollOnce()).toEqual([]);
  });

  it('three different items sharing one <guid isPermaLink="false"> are each archived and delivered, and the feed says so once', async () => {
    const constant = 'tag:cms.example.org,2026:rss';
    const first = {
      title: 'Regional ministers meet in Astana on water sharing',
      link: 'https://cms.example.org/n/101',
      guid: constant,
      pubDate: 'Sat, 28 Nov 2026 09:00:00 GMT',
    };
    await primed({ cms: [first] });
    const second = {
      title: 'Border crossing reopens after repairs',
      link: 'https://cms.example.org/n/102',
      guid: constant,
      pubDate: 'Sat, 28 Nov 2026 10:00:00 GMT',
    };
    const third = {
      title: 'Central bank keeps its key rate unchanged',
      link: 'https://cms.example.org/n/103',
      guid: constant,
      pubDate: 'Sat, 28 Nov 2026 11:00:00 GMT',
    };
    server.setRoute('/cms.xml', { body: rss([third, second, first]) });
    expect((await pollOnce()).map((p) => p.item.title)).toEqual([third.title, second.title]);
    expect(await dayItems(harness.app!.stores.archive, '2026-11-28')).toHaveLength(3);
    expect(warnings('same guid')).toHaveLength(1);
    expect(await harness.app!.stores.feedState.sharedGuids('cms')).toMatchObject({
      guids: [constant],
    });

    // Later, the feed lists one item at a time under the same guid: still each one is news.
    const fourth = {
      title: 'Rail freight volumes up in the third quarter',
      link: 'https://cms.example.org/n/104',
      guid: constant,
      pubDate: 'Sat, 28 Nov 2026 12:00:00 GMT',
    };
    server.setRoute('/cms.xml', { body: rss([fourth]) });
    expect((await pollOnce()).map((p) => p.item.title)).toEqual([fourth.title]);
    expect(warnings('same guid')).toHaveLength(1);
    expect(await pollOnce()).toEqual([]);
  });
});
