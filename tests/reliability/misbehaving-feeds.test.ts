/**
 * Feeds that misbehave, each polled in the same round as a good feed: the bad one gets a clear
 * status (lastError, failures, failingSince, nextFetchAt), a log line naming it, and the right
 * backoff — transient failures retry after about one interval (±20 % jitter), permanent ones start
 * at eight intervals, Retry-After is honoured up to the 24 h cap — while the good one is briefed
 * and keeps its regular slot. Quirky but readable feeds are read. The fetcher's own unit tests
 * (tests/unit/feeds/fetch.test.ts) cover the same faults one level down.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeLegacy,
  startFeedServer,
  type FeedServer,
  type RouteSpec,
} from '../support/feed-server';
import { FeedPair, GOOD_TITLE, INTERVAL_MS } from '../support/reliability/feed-pair';
import { rss } from '../support/rss';

const HOUR = 3_600_000;
/** Frozen "now", whole seconds so an HTTP-date Retry-After is exact. */
const NOW = Math.floor(Date.now() / 1000) * 1000;
const RU = 'Туркменистан и ООН обсудили сотрудничество';
const one = (title: string) => rss([{ title, guid: 'q-1', link: 'https://example.org/q-1' }]);
const legacy = (charset: string, declared: boolean) =>
  encodeLegacy(
    rss([{ title: RU, guid: 'ru-1', link: 'https://example.org/ru' }], 'Новости', charset).replace(
      declared ? '' : ` encoding="${charset}"`,
      '',
    ),
    charset,
  );

/** Routes to install; the first is the bad feed itself. */
type Routes = (path: string) => Array<[string, RouteSpec]>;

interface Failing {
  name: string;
  routes: Routes;
  error: RegExp;
  kind: 'transient' | 'permanent';
  /** The wait the server asked for, when it wins over the backoff. */
  retryAfterMs?: number;
}

const feed =
  (spec: RouteSpec): Routes =>
  (p) => [[p, spec]];

const failing: Failing[] = [
  {
    name: '500 Internal Server Error',
    routes: feed({ status: 500, body: 'oops' }),
    error: /\(500 Internal Server Error\)/,
    kind: 'transient',
  },
  {
    name: '404 Not Found',
    routes: feed({ status: 404, body: 'gone' }),
    error: /\(404 Not Found\)/,
    kind: 'permanent',
  },
  {
    name: '429 with Retry-After in seconds',
    routes: feed({ status: 429, headers: { 'retry-after': '7200' } }),
    error: /\(429 Too Many Requests\)/,
    kind: 'transient',
    retryAfterMs: 2 * HOUR,
  },
  {
    name: '503 with Retry-After as an HTTP-date',
    routes: feed({
      status: 503,
      headers: { 'retry-after': new Date(NOW + 3 * HOUR).toUTCString() },
    }),
    error: /\(503 Service Unavailable\)/,
    kind: 'transient',
    retryAfterMs: 3 * HOUR,
  },
  {
    name: '503 asking for three days (capped at one)',
    routes: feed({ status: 503, headers: { 'retry-after': String(3 * 86_400) } }),
    error: /\(503 Service Unavailable\)/,
    kind: 'transient',
    retryAfterMs: 24 * HOUR,
  },
  {
    name: 'a redirect loop',
    routes: (p) => [
      [p, { redirect: `${p}-b` }],
      [`${p}-b`, { redirect: p }],
    ],
    error: /redirect loop back to/,
    kind: 'permanent',
  },
  {
    name: 'six redirects in a row',
    routes: (p) =>
      Array.from(
        { length: 6 },
        (_, i) => [i ? `${p}-${i}` : p, { redirect: `${p}-${i + 1}` }] as [string, RouteSpec],
      ),
    error: /more than 5 redirects/,
    kind: 'permanent',
  },
  {
    name: 'a server that never sends headers',
    routes: feed({ hang: true }),
    error: /timed out waiting for headers after 1s/,
    kind: 'transient',
  },
  {
    name: 'a body sent one byte a second',
    routes: feed({ body: one('Slow'), drip: { bytes: 1, everyMs: 1000 } }),
    error: /timed out reading the body after 1s/,
    kind: 'transient',
  },
  {
    name: 'a body cut off mid-way',
    routes: feed({ body: one('Cut'), cutAfter: 40 }),
    error: /body truncated after 40 of \d+ bytes/,
    kind: 'transient',
  },
  {
    name: 'a body over the size cap',
    routes: feed({ body: Buffer.alloc(200_000, 'a') }),
    error: /body larger than 104858 bytes/,
    kind: 'permanent',
  },
  {
    name: 'a chunked body over the size cap',
    routes: feed({ body: Buffer.alloc(200_000, 'a'), contentLength: false }),
    error: /body larger than 104858 bytes/,
    kind: 'permanent',
  },
  {
    name: 'a gzip bomb (20 MB of zeros in 20 KB)',
    routes: feed({ body: Buffer.alloc(20_000_000), encoding: 'gzip' }),
    error: /body larger than 104858 bytes/,
    kind: 'permanent',
  },
  {
    name: 'invalid XML',
    routes: feed({
      body: '<?xml version="1.0"?>\n<rss version="2.0"><channel><item><title>a</item></channel></rss>',
    }),
    error: /not a feed: invalid XML \(Unexpected close tag\)/,
    kind: 'permanent',
  },
  {
    name: 'an HTML page',
    routes: feed({
      body: '<!doctype html><html><body>Maintenance</body></html>',
      contentType: 'text/html',
    }),
    error: /not a feed: got an HTML page/,
    kind: 'permanent',
  },
  {
    name: 'an empty body',
    routes: feed({ body: '' }),
    error: /not a feed: empty body/,
    kind: 'permanent',
  },
];

interface Readable {
  name: string;
  routes: Routes;
  titles: string[];
}

const readable: Readable[] = [
  {
    name: 'windows-1251 declared in the XML prolog only',
    routes: feed({ body: legacy('windows-1251', true), contentType: 'application/rss+xml' }),
    titles: [RU],
  },
  {
    name: 'windows-1251 declared in the HTTP header only',
    routes: feed({
      body: legacy('windows-1251', false),
      contentType: 'application/rss+xml; charset=windows-1251',
    }),
    titles: [RU],
  },
  {
    name: 'koi8-r declared in the XML prolog only',
    routes: feed({ body: legacy('koi8-r', true), contentType: 'text/xml' }),
    titles: [RU],
  },
  {
    name: 'koi8-r declared in the HTTP header only',
    routes: feed({ body: legacy('koi8-r', false), contentType: 'text/xml; charset=KOI8-R' }),
    titles: [RU],
  },
  // Nothing names the charset and the bytes are not UTF-8: the Cyrillic sniff recognises them.
  {
    name: 'windows-1251 declared nowhere',
    routes: feed({ body: legacy('windows-1251', false), contentType: 'application/rss+xml' }),
    titles: [RU],
  },
  {
    name: 'koi8-r declared nowhere',
    routes: feed({ body: legacy('koi8-r', false), contentType: 'text/xml' }),
    titles: [RU],
  },
  {
    name: 'a UTF-8 byte-order mark',
    routes: feed({ body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(one(RU))]) }),
    titles: [RU],
  },
  {
    name: 'UTF-16LE with its byte-order mark',
    routes: feed({
      body: Buffer.from(`\uFEFF${one(RU).replace('UTF-8', 'UTF-16')}`, 'utf16le'),
      contentType: 'text/xml',
    }),
    titles: [RU],
  },
  {
    name: 'a redirect chain of three hops',
    routes: (p) => [
      [p, { redirect: `${p}-1` }],
      [`${p}-1`, { status: 301, redirect: `${p}-2` }],
      [`${p}-2`, { status: 308, redirect: `${p}-3` }],
      [`${p}-3`, { body: one('Moved') }],
    ],
    titles: ['Moved'],
  },
  { name: '200 with no items', routes: feed({ body: rss([]) }), titles: [] },
  {
    // A guid on two different items identifies neither: each is read by its title.
    name: 'one guid on two different items of one feed (each is briefed)',
    routes: feed({
      body: rss([
        { title: 'First story', guid: 'dup' },
        { title: 'Second story', guid: 'dup' },
      ]),
    }),
    titles: ['First story', 'Second story'],
  },
  {
    name: 'one item listed twice under its guid (briefed once)',
    routes: feed({
      body: rss([
        { title: 'Listed twice', guid: 'twice' },
        { title: 'Listed twice', guid: 'twice' },
      ]),
    }),
    titles: ['Listed twice'],
  },
  {
    name: 'items with no link or no title',
    routes: feed({
      body: rss([
        { title: 'No link here', guid: 'nl' },
        {
          title: '',
          guid: 'nt',
          link: 'https://example.org/nt',
          description: 'An untitled item still says something.',
        },
      ]),
    }),
    titles: ['No link here', 'An untitled item still says something.'],
  },
];

let server: FeedServer;
let pair: FeedPair | undefined;
let serial = 0;
beforeAll(async () => (server = await startFeedServer({})));
afterAll(() => server.close());
afterEach(async () => {
  await pair?.dispose();
  pair = undefined;
});

async function openPair(routes: Routes): Promise<FeedPair> {
  const path = `/bad-${++serial}.xml`;
  for (const [p, spec] of routes(path)) server.setRoute(p, spec);
  pair = await FeedPair.open(server, server.url(path), `/good-${serial}.xml`, NOW);
  return pair;
}

/** The good feed of the round was briefed and keeps its regular slot. */
async function expectGoodUnharmed(p: FeedPair, titles: string[]) {
  expect(titles).toContain(GOOD_TITLE);
  const good = await p.state(p.goodUrl);
  expect(good).toMatchObject({ failures: 0, lastSuccessAt: new Date(NOW).toISOString() });
  expect(await p.delayOf(p.goodUrl)).toBeGreaterThan(0);
  expect(await p.delayOf(p.goodUrl)).toBeLessThanOrEqual(INTERVAL_MS);
}

describe('a misbehaving feed beside a good one', () => {
  it.each(failing)(
    '$name: the feed fails clearly and backs off; the good feed is briefed',
    async ({ routes, error, kind, retryAfterMs }) => {
      const p = await openPair(routes);
      const { titles, outcome } = await p.poll();
      await expectGoodUnharmed(p, titles);
      expect(titles).toEqual([GOOD_TITLE]);

      const failed = outcome(p.badUrl);
      expect(failed?.kind).toBe('failed');
      if (failed?.kind !== 'failed') return;
      expect(failed.error.details.kind).toBe(kind);
      const state = await p.state(p.badUrl);
      expect(state).toMatchObject({
        failures: 1,
        failingSince: new Date(NOW).toISOString(),
        lastError: failed.error.message,
      });
      expect(state.lastError).toMatch(error);
      expect(state.lastSuccessAt).toBeUndefined();

      const delay = await p.delayOf(p.badUrl);
      if (retryAfterMs !== undefined) expect(delay).toBe(retryAfterMs);
      else {
        // Permanent errors start where four transient failures would have brought them.
        const base = kind === 'permanent' ? 8 * INTERVAL_MS : INTERVAL_MS;
        expect(delay).toBeGreaterThanOrEqual(0.8 * base);
        expect(delay).toBeLessThanOrEqual(1.2 * base);
      }
      const line = p
        .logLines()
        .find(
          (l) => l.includes('feed unreachable, next retry in') && l.includes(`feedUrl=${p.badUrl}`),
        );
      expect(line).toBeDefined();
      expect(line).toContain('feed=bad');
      expect(line).toContain(JSON.stringify(state.lastError));
    },
  );

  it.each(readable)(
    '$name: the feed is read and briefed beside the good one',
    async ({ routes, titles: wanted }) => {
      const p = await openPair(routes);
      const { titles, outcome } = await p.poll();
      await expectGoodUnharmed(p, titles);
      expect(titles.filter((t) => t !== GOOD_TITLE)).toEqual(wanted);
      expect(outcome(p.badUrl)?.kind).toBe('ok');
      expect(await p.state(p.badUrl)).toMatchObject({ failures: 0 });
      expect(p.logLines().join('\n')).not.toContain('feed unreachable');
    },
  );
});
