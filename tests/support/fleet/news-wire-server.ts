/**
 * The news wire's process (see news-wire.ts): test feed servers on several loopback addresses
 * (feed n on host n mod hosts, so the deployment's per-host cap of 2 fetches does not set the
 * pace), each feed starting with one old item, and new items appearing on feeds picked at random
 * while publishing is on. Every item carries a serial number that no other item has, in its
 * title, guid and link, so the test can count each one where it arrives. Runs apart from the
 * bot's processes and the test's, so that serving its polls is nobody else's CPU time.
 */
import { serveParent } from '../../../bench/support/child';
import { type FeedServer, startFeedServer } from '../feed-server';
import { createPrng } from '../reliability/prng';
import { rss, type TestEntry } from '../rss';
import type { Published, WireRequest } from './news-wire';

const servers: FeedServer[] = [];
const feeds: TestEntry[][] = [];
const published: Published[] = [];
let serial = 0;
let timer: NodeJS.Timeout | undefined;

const pathOf = (feed: number) => `/wire-${feed}.xml`;
const serverOf = (feed: number) => servers[feed % servers.length]!;

/** Serves the feed's items (newest first), with an ETag per version so unchanged polls get 304. */
function serve(feed: number): void {
  const items = feeds[feed]!;
  serverOf(feed).setRoute(pathOf(feed), {
    body: rss(items, `Wire ${feed}`),
    etag: `"v${items.length}"`,
  });
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

async function init(count: number, hosts: number): Promise<string[]> {
  for (let h = 1; h <= hosts; h++)
    servers.push(await startFeedServer({}, { host: `127.0.0.${h}` }));
  const now = Date.now();
  for (let feed = 0; feed < count; feed++) {
    feeds.push([]);
    // The item a feed already had when the bot first saw it: archived then, never posted.
    addItem(feed, now - 3_600_000);
  }
  return feeds.map((_, feed) => serverOf(feed).url(pathOf(feed)));
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
  return feeds.map((_, feed) =>
    serverOf(feed)
      .requests(pathOf(feed))
      .map((r) => r.at),
  );
}

serveParent(
  async (message) => {
    const request = message as WireRequest;
    switch (request.type) {
      case 'init':
        return init(request.feeds, request.hosts);
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
    await Promise.all(servers.map((s) => s.close()));
  },
);
