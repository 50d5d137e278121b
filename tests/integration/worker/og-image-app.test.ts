/**
 * OG_IMAGE end to end in console mode: the real app polls a feed from a local server whose items
 * link to article pages on the same server, and prints briefings as JSON.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppHarness } from '../../support/app-harness';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { rss, type TestEntry } from '../../support/rss';

const HTML = 'text/html; charset=utf-8';
const FERRY_PICTURE = 'https://cdn.harbour.example.org/ferry-at-dawn.jpg';
const articleWith = (picture: string) =>
  `<html><head><title>Harbour</title><meta property="og:image" content="${picture}"></head><body>Text</body></html>`;

/** Titles name the port so a topic can pick some of them. */
const ferry = (server: FeedServer, n: number): TestEntry => ({
  title: `New ferry timetable for the harbour, part ${n}`,
  link: server.url(`/article-${n}`),
  guid: `ferry-${n}`,
  description: 'The harbour office moved the morning ferry to nine.',
  pubDate: new Date(Date.now() - n * 60_000).toUTCString(),
});

/** A console `--json` briefing: `image` sits beside `item`, present only when there is one. */
interface Printed {
  item: { key: string; title: string; link?: string };
  image?: string;
}

describe('pictures from article pages (OG_IMAGE)', () => {
  let server: FeedServer;
  let harness: AppHarness;
  const pageRequests = () => server.requests().filter((r) => r.url.startsWith('/article-'));

  beforeEach(async () => {
    server = await startFeedServer();
    for (const n of [1, 2, 3, 4])
      server.setRoute(`/article-${n}`, {
        body: articleWith(`${FERRY_PICTURE}?n=${n}`),
        contentType: HTML,
      });
    server.setRoute('/feed.xml', { body: rss([ferry(server, 4)]) });
    harness = await AppHarness.create(
      [{ id: 'harbour', url: server.url('/feed.xml') }],
      'groups: {}\ntopics:\n  - id: ferries\n    name: Ferries\n    query: "ferry AND NOT cancelled"\n',
    );
  });
  afterEach(async () => {
    await harness?.dispose();
    await server.close();
  });

  it('reads no page at all when the option is off (the default)', async () => {
    await harness.open();
    await harness.pollOnce(); // first sight: archived, not delivered
    server.setRoute('/feed.xml', { body: rss([ferry(server, 1), ferry(server, 4)]) });
    const [briefing, ...rest] = (await harness.pollOnce()) as Printed[];
    expect(rest).toEqual([]);
    expect(briefing!.item.title).toContain('part 1');
    expect(briefing).not.toHaveProperty('image');
    expect(pageRequests()).toEqual([]);
  });

  it('shows the page’s og:image as the briefing’s image, for delivered items only, and reads each page once', async () => {
    await harness.open({}, { OG_IMAGE: '1' });
    await harness.pollOnce();
    // Priming archives the feed's backlog without posting it: no page is read for it.
    expect(pageRequests()).toEqual([]);

    const withOwnPicture: TestEntry = {
      ...ferry(server, 2),
      description: '<p><img src="https://feed.harbour.example.org/own.png"> The ferry is late.</p>',
    };
    const unmatched: TestEntry = { ...ferry(server, 3), title: 'Morning ferry cancelled' };
    server.setRoute('/feed.xml', {
      body: rss([ferry(server, 1), withOwnPicture, unmatched, ferry(server, 4)]),
    });
    const printed = (await harness.pollOnce()) as Printed[];
    const byPart = Object.fromEntries(printed.map((p) => [p.item.link?.slice(-1), p.image]));
    expect(byPart).toEqual({
      '1': `${FERRY_PICTURE}?n=1`,
      // The feed's own picture wins, and its page is not read.
      '2': 'https://feed.harbour.example.org/own.png',
    });
    expect(pageRequests().map((r) => r.url)).toEqual(['/article-1']);

    // The next poll finds nothing new and reads nothing again.
    expect(await harness.pollOnce()).toEqual([]);
    expect(pageRequests()).toHaveLength(1);
  });

  it('delivers the briefing without a picture when the page cannot be read', async () => {
    server.setRoute('/article-1', { status: 503, body: 'busy', contentType: HTML });
    await harness.open({}, { OG_IMAGE: '1' });
    await harness.pollOnce();
    server.setRoute('/feed.xml', { body: rss([ferry(server, 1), ferry(server, 4)]) });
    const [briefing] = (await harness.pollOnce()) as Printed[];
    expect(briefing!.item.title).toContain('part 1');
    expect(briefing).not.toHaveProperty('image');
    expect(harness.logger.lines.join('\n')).toMatch(/DEBUG page image: page not read .*503/);
  });
});
