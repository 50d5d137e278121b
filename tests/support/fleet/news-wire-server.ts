/**
 * The news wire's process (see news-wire.ts): the test feed server with many feeds, each starting
 * with one old item, and new items appearing on feeds picked at random while publishing is on.
 * Every item carries a serial number that no other item has, in its title, guid and link, so the
 * test can count each one where it arrives. Runs apart from the bot's processes and the test's, so
 * that serving hundreds of polls a second is nobody else's CPU time.
 */
import { serveParent } from '../../../bench/support/child';
import { startFeedServer } from '../feed-server';
import { createPrng } from '../reliability/prng';
import { rss, type TestEntry } from '../rss';
import type { Published, WireRequest } from './news-wire';

const server = await startFeedServer({});
const feeds: TestEntry[][] = [];
const published: Published[] = [];
let serial = 0;
let timer: NodeJS.Timeout | undefined;

const pathOf = (feed: number) => `/wire-${feed}.xml`;

/** Serves the feed's items (newest first), with an ETag per version so unchanged polls get 304. */
function serve(feed: number): void {
  const items = feeds[feed]!;
  server.setRoute(pathOf(feed), { body: rss(items, `Wire ${feed}`), etag: `"v${items.length}"` });
}

function addItem(feed: number, at: number): Published {
  const id = ++serial;
  feeds[feed]!.unshift({
    title: `Feed ${feed} report ${id}`,
    guid: `wire-${id}`,
    link: `https://example.org/wire/${id}`,
    description: `Report ${id}.`,
    // A second in the past: a date in the future would be clamped, and is not what is tested.
    pubDate: new Date(at - 1000).toUTCString(),
  });
  serve(feed);
  return { id, feed, at };
}

function init(count: number): string[] {
  const now = Date.now();
  for (let feed = 0; feed < count; feed++) {
    feeds.push([]);
    // The item a feed already had when the bot first saw it: archived then, never posted.
    addItem(feed, now - 3_600_000);
  }
  return feeds.map((_, feed) => server.url(pathOf(feed)));
}

function startPublishing(everyMs: number, seed: number): null {
  const prng = createPrng(seed);
  timer = setInterval(() => {
    published.push(addItem(prng.int(0, feeds.length - 1), Date.now()));
  }, everyMs);
  return null;
}

/** Arrival times of every poll, per feed number. */
function polls(): number[][] {
  return feeds.map((_, feed) => server.requests(pathOf(feed)).map((r) => r.at));
}

serveParent(
  async (message) => {
    const request = message as WireRequest;
    switch (request.type) {
      case 'init':
        return init(request.feeds);
      case 'start':
        return startPublishing(request.everyMs, request.seed);
      case 'stop':
        clearInterval(timer);
        return published;
      case 'polls':
        return polls();
    }
  },
  async () => {
    clearInterval(timer);
    await server.close();
  },
);
