/**
 * Article pages read for their og:image through the real fetcher, from a real HTTP server on
 * 127.0.0.1, with what they said cached in a real SQLite store.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PolledFeed } from '../../../src/domain/feed';
import type { Item } from '../../../src/domain/item';
import { createFetcher, type Fetcher, type FetcherOptions } from '../../../src/feeds/fetch';
import { memoryLogger } from '../../../src/log';
import { createPageImagesRepo } from '../../../src/store/page-images';
import { createPageImages, type PageImages } from '../../../src/worker/page-images';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { backends, type TestStore } from '../../support/stores';

const HTML = 'text/html; charset=utf-8';
const page = (headMeta: string, body = '<p>The ferry leaves at nine.</p>') =>
  `<!doctype html><html><head><title>Harbour news</title>${headMeta}</head><body>${body}</body></html>`;
const og = (url: string) => `<meta property="og:image" content="${url}">`;

let server: FeedServer;
let store: TestStore;
let fetcher: Fetcher;
let logger: ReturnType<typeof memoryLogger>;
let find: PageImages;

const trustedFeed = (): PolledFeed => ({
  id: 'harbour',
  url: server.url('/feed.xml'),
  interval: 600_000,
  backfill: 0,
  trust: 'trusted',
});

function item(key: string, link: string | undefined, image?: string): Item {
  return {
    key,
    storyKey: `k:${key}`,
    feedId: 'harbour',
    ...(link && { link }),
    title: `Item ${key}`,
    description: '',
    text: '',
    categories: [],
    publishedAt: '2026-12-07T08:00:00.000Z',
    fetchedAt: '2026-12-07T08:00:00.000Z',
    ...(image && { image }),
  };
}

function setUp(options: FetcherOptions = {}, timeoutMs = 5_000) {
  fetcher = createFetcher({ headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000, ...options });
  logger = memoryLogger('debug');
  find = createPageImages({
    fetcher,
    cache: createPageImagesRepo(store.kv),
    logger,
    maxBytes: 16 * 1024,
    timeoutMs,
  });
}

const reasons = () => logger.lines.filter((l) => l.includes('page image'));

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  store = await backends.find((b) => b.name === 'sqlite')!.open();
  setUp();
});
afterEach(async () => {
  await fetcher.close();
  await store.dispose();
});

describe('an article page’s picture', () => {
  it.each<[string, string, string | undefined]>([
    [
      'og:image',
      page(og('https://cdn.harbour.example.org/ferry.jpg')),
      'https://cdn.harbour.example.org/ferry.jpg',
    ],
    [
      'twitter:image when there is no og:image',
      page('<meta name="twitter:image" content="https://cdn.harbour.example.org/card.png">'),
      'https://cdn.harbour.example.org/card.png',
    ],
    [
      'a relative og:image, resolved against the page',
      page(og('/img/quay.jpg?w=1&amp;h=2')),
      'ORIGIN/img/quay.jpg?w=1&h=2',
    ],
    [
      'nothing when the page names no picture',
      page('<meta name="description" content="Ferries">'),
      undefined,
    ],
    [
      'a hostile og:image refused, the twitter:image taken',
      page(
        `${og('javascript:alert(1)')}<meta name="twitter:image" content="https://cdn.harbour.example.org/ok.png">`,
      ),
      'https://cdn.harbour.example.org/ok.png',
    ],
  ])('%s', async (name, html, expected) => {
    const path = `/article-${name.replace(/\W+/g, '-')}`;
    server.setRoute(path, { body: html, contentType: HTML });
    const images = await find([item('a', server.url(path))], trustedFeed());
    expect(images.get('a')).toBe(expected?.replace('ORIGIN', server.origin));
    expect(server.requests(path)).toHaveLength(1);
    expect(server.requests(path)[0]?.headers.accept).toMatch(/^text\/html/);
  });

  it('is read from a gzip-compressed page too', async () => {
    const body = page(og('https://cdn.harbour.example.org/zipped.jpg'));
    server.setRoute('/zipped', { body, contentType: HTML, encoding: 'gzip' });
    const images = await find([item('z', server.url('/zipped'))], trustedFeed());
    expect(images.get('z')).toBe('https://cdn.harbour.example.org/zipped.jpg');
  });

  it('is looked up only for items without a picture of their own and with a web link', async () => {
    server.setRoute('/has-picture', {
      body: page(og('https://x.example/a.jpg')),
      contentType: HTML,
    });
    const images = await find(
      [
        item('own', server.url('/has-picture'), 'https://feed.example/own.jpg'),
        item('none', undefined),
      ],
      trustedFeed(),
    );
    expect(images.size).toBe(0);
    expect(server.requests('/has-picture')).toHaveLength(0);
  });

  it('is read from the head only: reading stops at </head> while the body is still coming', async () => {
    // The body never ends: a reader that waited for it would hit the deadline and find nothing.
    server.setRoute('/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': HTML });
      res.write(`<html><head>${og('https://cdn.harbour.example.org/endless.jpg')}</head><body>`);
    });
    setUp({}, 60_000);
    const images = await find([item('e', server.url('/endless'))], trustedFeed());
    expect(images.get('e')).toBe('https://cdn.harbour.example.org/endless.jpg');
  });

  it('reads a huge page no further than the page cap, and never fails for its size', async () => {
    const filler = '<meta name="keywords" content="ferry, harbour, timetable">'.repeat(20_000);
    server.setRoute('/huge-early', {
      body: page(og('https://cdn.harbour.example.org/early.jpg') + filler),
      contentType: HTML,
    });
    server.setRoute('/huge-late', {
      body: page(filler + og('https://cdn.harbour.example.org/late.jpg')),
      contentType: HTML,
    });
    const images = await find(
      [item('early', server.url('/huge-early')), item('late', server.url('/huge-late'))],
      trustedFeed(),
    );
    expect(images.get('early')).toBe('https://cdn.harbour.example.org/early.jpg');
    // Its og:image lies a megabyte in, past the 16 KB this reader takes of a page.
    expect(images.has('late')).toBe(false);
    expect(reasons().join('\n')).not.toMatch(/larger than/);
  });

  it('reads nothing of a link that is not an HTML page', async () => {
    server.setRoute('/clip.mp4', { body: Buffer.alloc(64 * 1024), contentType: 'video/mp4' });
    const images = await find([item('v', server.url('/clip.mp4'))], trustedFeed());
    expect(images.size).toBe(0);
    expect(reasons().join('\n')).toMatch(/not an HTML page: video\/mp4/);
  });

  it('gives up on a slow page at the deadline, and says why at debug level', async () => {
    server.setRoute('/slow', {
      body: page(og('https://x.example/slow.jpg')),
      contentType: HTML,
      delayMs: 10_000,
    });
    setUp({}, 200);
    const images = await find([item('s', server.url('/slow'))], trustedFeed());
    expect(images.size).toBe(0);
    expect(reasons().join('\n')).toMatch(/page not read.*not read within 200 ms/);
    expect(reasons().every((l) => / DEBUG /.test(l))).toBe(true);
  });

  it('answers a page again from the cache, found or not, without asking the server', async () => {
    server.setRoute('/cached-hit', {
      body: page(og('https://cdn.harbour.example.org/hit.jpg')),
      contentType: HTML,
    });
    server.setRoute('/cached-miss', { body: page(''), contentType: HTML });
    server.setRoute('/cached-404', { status: 404, body: 'gone', contentType: HTML });
    const links = ['/cached-hit', '/cached-miss', '/cached-404'].map((p) => server.url(p));
    const first = await find(
      links.map((l, i) => item(`x${i}`, l)),
      trustedFeed(),
    );
    // Another feed's items with the same links, in a later poll (a new reader, the same store).
    setUp();
    const again = await find(
      links.map((l, i) => item(`y${i}`, l)),
      trustedFeed(),
    );
    expect([...first.values()]).toEqual(['https://cdn.harbour.example.org/hit.jpg']);
    expect([...again.entries()]).toEqual([['y0', 'https://cdn.harbour.example.org/hit.jpg']]);
    for (const path of ['/cached-hit', '/cached-miss', '/cached-404'])
      expect(server.requests(path)).toHaveLength(1);
  });

  it('reads a page once for two feeds that list it in the same moment', async () => {
    server.setRoute('/shared', {
      body: page(og('https://cdn.harbour.example.org/shared.jpg')),
      contentType: HTML,
      delayMs: 100,
    });
    const link = server.url('/shared');
    const [a, b] = await Promise.all([
      find([item('a', link)], trustedFeed()),
      find([item('b', link)], { ...trustedFeed(), id: 'harbour-2' }),
    ]);
    expect(a.get('a')).toBe('https://cdn.harbour.example.org/shared.jpg');
    expect(b.get('b')).toBe('https://cdn.harbour.example.org/shared.jpg');
    expect(server.requests('/shared')).toHaveLength(1);
  });
});

describe('the guard on article pages', () => {
  /** A second server on another loopback address: a refused target, which must never be reached. */
  let inside: Server;
  let insideConnections = 0;
  beforeAll(async () => {
    inside = createServer((_req, res) => res.end(page(og('https://leak.example/secret.jpg'))));
    inside.on('connection', () => insideConnections++);
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.2', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => inside.close(() => resolve())));

  const insidePort = () => (inside.address() as AddressInfo).port;
  const dns: Record<string, string[]> = {
    'news.test': ['127.0.0.1'],
    'inside.test': ['127.0.0.2'],
  };
  const guarded: FetcherOptions = {
    resolve: async (host) => dns[host] ?? [],
    allowAddresses: ['127.0.0.1'],
  };
  const guildFeed = (): PolledFeed => ({
    ...trustedFeed(),
    url: `http://news.test:${server.port}/feed.xml`,
    trust: 'untrusted',
  });

  it('reads a guild feed’s page through the guard (a public address passes)', async () => {
    server.setRoute('/guild-article', { body: page(og('/pic.jpg')), contentType: HTML });
    setUp(guarded);
    const images = await find(
      [item('g', `http://news.test:${server.port}/guild-article`)],
      guildFeed(),
    );
    expect(images.get('g')).toBe(`http://news.test:${server.port}/pic.jpg`);
  });

  it('refuses a guild feed’s page that redirects to a loopback address, before connecting to it', async () => {
    server.setRoute('/to-inside', { redirect: `http://inside.test:${insidePort()}/admin` });
    setUp(guarded);
    const before = insideConnections;
    const images = await find(
      [item('r', `http://news.test:${server.port}/to-inside`)],
      guildFeed(),
    );
    expect(images.size).toBe(0);
    expect(server.requests('/to-inside')).toHaveLength(1);
    expect(insideConnections).toBe(before);
    expect(reasons().join('\n')).toMatch(
      /Feed URL refused: .*resolves to 127\.0\.0\.2 \(loopback\)/,
    );
  });

  it('refuses an operator feed’s link to another host that is private, and reads its own host', async () => {
    server.setRoute('/own-host', { body: page(og('/own.jpg')), contentType: HTML });
    setUp(guarded);
    const images = await find(
      [
        item('own', server.url('/own-host')),
        item('other', `http://inside.test:${insidePort()}/admin`),
      ],
      trustedFeed(),
    );
    expect(images.get('own')).toBe(`${server.origin}/own.jpg`);
    expect(images.has('other')).toBe(false);
    expect(insideConnections).toBe(0);
    expect(reasons().join('\n')).toMatch(/resolves to 127\.0\.0\.2 \(loopback\)/);
  });
});
