import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '../../../src/errors';
import {
  createFetcher,
  type Fetcher,
  type FetcherOptions,
  type FetchRequest,
} from '../../../src/feeds/fetch';
import {
  encodeLegacy,
  readFixture,
  startFeedServer,
  type FeedServer,
} from '../../support/feed-server';

const RSS =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>Новости</title></channel></rss>';
const FIXTURE = fileURLToPath(
  new URL('../../fixtures/feeds/trend-central-asia.rss', import.meta.url),
);
/** Small timeouts so failure cases end quickly; the assertions never look at the clock. */
const FAST: FetcherOptions = { connectTimeoutMs: 2_000, headersTimeoutMs: 300, bodyTimeoutMs: 300 };
/** Untrusted fetches of made-up host names land on this machine, through the guard's pinning. */
const pinnedToLocal: FetcherOptions = {
  resolve: async () => ['127.0.0.1'],
  allowAddresses: ['127.0.0.1'],
};

let server: FeedServer;
const fetchers: Fetcher[] = [];
/** A fetcher closed after the test. */
function fetcherWith(options: FetcherOptions = {}): Fetcher {
  const f = createFetcher({ ...FAST, ...options });
  fetchers.push(f);
  return f;
}
const trusted = (path: string, extra: Partial<FetchRequest> = {}): FetchRequest => ({
  url: server.url(path),
  trust: 'trusted',
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<FeedError> {
  const err = await promise.then(
    () => new Error('expected the fetch to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedError);
  return err as FeedError;
}

beforeAll(async () => {
  server = await startFeedServer();
});
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});
afterAll(() => server.close());

describe('conditional GET', () => {
  it('returns the body and its etag, then not-modified while the etag still matches', async () => {
    server.setRoute('/etag', { body: RSS, etag: '"v1"' });
    const fetcher = fetcherWith();
    const first = await fetcher.fetch(trusted('/etag'));
    expect(first).toMatchObject({
      kind: 'ok',
      body: RSS,
      etag: '"v1"',
      bytes: Buffer.byteLength(RSS),
    });
    expect(first).toMatchObject({ url: server.url('/etag'), finalUrl: server.url('/etag') });

    const second = await fetcher.fetch(trusted('/etag', { etag: '"v1"' }));
    expect(second).toEqual({
      kind: 'not-modified',
      url: server.url('/etag'),
      finalUrl: server.url('/etag'),
    });
    expect(server.requests('/etag')[1]?.headers['if-none-match']).toBe('"v1"');

    server.setRoute('/etag', { body: RSS.replace('Новости', 'News'), etag: '"v2"' });
    const third = await fetcher.fetch(trusted('/etag', { etag: '"v1"' }));
    expect(third).toMatchObject({
      kind: 'ok',
      etag: '"v2"',
      body: expect.stringContaining('<title>News</title>'),
    });
  });

  it('sends If-Modified-Since from lastModified and gets not-modified for an unchanged feed', async () => {
    const changed = new Date('2025-01-15T12:00:00Z');
    server.setRoute('/lm', { body: RSS, lastModified: changed });
    const fetcher = fetcherWith();
    const first = await fetcher.fetch(trusted('/lm'));
    expect(first).toMatchObject({ kind: 'ok', lastModified: changed.toUTCString() });

    const second = await fetcher.fetch(trusted('/lm', { lastModified: changed.toUTCString() }));
    expect(second.kind).toBe('not-modified');
    expect(server.requests('/lm')[1]?.headers['if-modified-since']).toBe(changed.toUTCString());
  });

  it('serves a fixture feed gzipped with an etag, as the support server promises', async () => {
    server.serveFile('/trend.rss', 'trend-central-asia.rss', { encoding: 'gzip', etag: '"t1"' });
    const fetcher = fetcherWith();
    const first = await fetcher.fetch(trusted('/trend.rss'));
    expect(first).toMatchObject({
      kind: 'ok',
      body: readFixture('trend-central-asia.rss').toString('utf8'),
    });
    expect((await fetcher.fetch(trusted('/trend.rss', { etag: '"t1"' }))).kind).toBe(
      'not-modified',
    );
  });

  it('identifies itself and offers the encodings it can decode', async () => {
    server.setRoute('/headers', { body: RSS });
    await fetcherWith().fetch(trusted('/headers'));
    const [req] = server.requests('/headers');
    expect(req?.headers['user-agent']).toMatch(/^briefing-bot\/0\.1 \(\+https:\/\/github\.com\//);
    expect(req?.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(req?.headers.accept).toContain('application/rss+xml');
  });

  it('sends the credentials of an operator URL as Basic auth, and not to another origin', async () => {
    const other = await startFeedServer({ '/private-next': { body: RSS } });
    try {
      server.setRoute('/private', { redirect: other.url('/private-next') });
      const url = `http://reader:s%40cret@127.0.0.1:${server.port}/private`;
      const result = await fetcherWith().fetch({ url, trust: 'trusted' });
      expect(result).toMatchObject({ kind: 'ok', url, finalUrl: other.url('/private-next') });
      expect(server.requests('/private')[0]?.headers.authorization).toBe(
        `Basic ${Buffer.from('reader:s@cret').toString('base64')}`,
      );
      expect(other.requests('/private-next')[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('content encodings', () => {
  it.each(['gzip', 'br', 'deflate'] as const)('decompresses a %s body', async (encoding) => {
    const body = RSS.repeat(50);
    server.setRoute(`/enc-${encoding}`, { body, encoding });
    const result = await fetcherWith().fetch(trusted(`/enc-${encoding}`));
    expect(result).toMatchObject({ kind: 'ok', body, bytes: Buffer.byteLength(body) });
  });

  it('reports a body that is not what its content-encoding says as corrupt', async () => {
    server.setRoute('/enc-corrupt', { body: RSS, headers: { 'content-encoding': 'gzip' } });
    const err = await failure(fetcherWith().fetch(trusted('/enc-corrupt')));
    expect(err.message).toBe(
      `Feed fetch failed (corrupt gzip body): ${server.url('/enc-corrupt')}`,
    );
    expect(err.details.kind).toBe('permanent');
  });

  it('refuses a content-encoding it cannot decode', async () => {
    server.setRoute('/enc-zstd', { body: RSS, headers: { 'content-encoding': 'zstd' } });
    const err = await failure(fetcherWith().fetch(trusted('/enc-zstd')));
    expect(err.message).toBe(
      `Feed fetch failed (unsupported content-encoding zstd): ${server.url('/enc-zstd')}`,
    );
  });
});

describe('redirects', () => {
  const chain = (prefix: string, hops: number) => {
    for (let i = 1; i <= hops; i++) {
      server.setRoute(`${prefix}${i}`, {
        redirect: `${prefix}${i + 1}`,
        status: i % 2 ? 301 : 307,
      });
    }
    server.setRoute(`${prefix}${hops + 1}`, { body: RSS });
  };

  it('follows five redirects and reports where the feed finally came from', async () => {
    chain('/five-', 5);
    const result = await fetcherWith().fetch(trusted('/five-1'));
    expect(result).toMatchObject({
      kind: 'ok',
      body: RSS,
      url: server.url('/five-1'),
      finalUrl: server.url('/five-6'),
    });
  });

  it('refuses a sixth redirect', async () => {
    chain('/six-', 6);
    const err = await failure(fetcherWith().fetch(trusted('/six-1')));
    expect(err.message).toBe(`Feed fetch failed (more than 5 redirects): ${server.url('/six-6')}`);
    expect(err.details.kind).toBe('permanent');
    expect(server.requests('/six-7')).toHaveLength(0);
  });

  it('refuses a redirect loop without going round it', async () => {
    server.setRoute('/loop-a', { redirect: '/loop-b' });
    server.setRoute('/loop-b', { redirect: server.url('/loop-a') });
    const err = await failure(fetcherWith().fetch(trusted('/loop-a')));
    expect(err.message).toBe(
      `Feed fetch failed (redirect loop back to ${server.url('/loop-a')}): ${server.url('/loop-b')}`,
    );
    expect(err.details.kind).toBe('permanent');
    expect(server.requests('/loop-a')).toHaveLength(1);
  });

  it('does not let even a trusted feed redirect to a local file', async () => {
    server.setRoute('/to-file', { redirect: 'file:///etc/passwd' });
    const err = await failure(fetcherWith().fetch(trusted('/to-file')));
    expect(err.message).toBe(
      'Feed URL refused: file:///etc/passwd uses file; only http and https feeds are allowed',
    );
  });

  it('sends the validators along and reports not-modified from the final URL', async () => {
    server.setRoute('/moved', { redirect: '/moved-here', status: 308 });
    server.setRoute('/moved-here', { body: RSS, etag: '"m"' });
    const result = await fetcherWith().fetch(trusted('/moved', { etag: '"m"' }));
    expect(result).toEqual({
      kind: 'not-modified',
      url: server.url('/moved'),
      finalUrl: server.url('/moved-here'),
    });
  });
});

describe('HTTP errors', () => {
  it.each([
    [404, 'Not Found', 'permanent'],
    [410, 'Gone', 'permanent'],
    [401, 'Unauthorized', 'permanent'],
    [408, 'Request Timeout', 'transient'],
    [500, 'Internal Server Error', 'transient'],
    [502, 'Bad Gateway', 'transient'],
  ] as const)('reports %i %s as %s', async (status, text, kind) => {
    server.setRoute(`/status-${status}`, { status, body: 'nope' });
    const err = await failure(fetcherWith().fetch(trusted(`/status-${status}`)));
    expect(err.message).toBe(
      `Feed fetch failed (${status} ${text}): ${server.url(`/status-${status}`)}`,
    );
    expect(err.details).toMatchObject({ status, kind });
    expect(err.details.retryAfterMs).toBeUndefined();
  });

  const now = Date.UTC(2025, 0, 15, 12, 0, 0);
  it.each([
    [429, 'Too Many Requests', '120', 120_000],
    [503, 'Service Unavailable', '30', 30_000],
    [429, 'Too Many Requests', new Date(now + 90_000).toUTCString(), 90_000],
    [503, 'Service Unavailable', new Date(now + 3_600_000).toUTCString(), 3_600_000],
  ] as const)(
    'reports %i with Retry-After %j as a transient error with that wait',
    async (status, text, retryAfter, ms) => {
      const path = `/retry-${status}-${ms}`;
      server.setRoute(path, { status, headers: { 'retry-after': retryAfter } });
      const err = await failure(fetcherWith({ now: () => now }).fetch(trusted(path)));
      expect(err.message).toBe(`Feed fetch failed (${status} ${text}): ${server.url(path)}`);
      expect(err.details).toMatchObject({ status, kind: 'transient', retryAfterMs: ms });
    },
  );

  it('reports a refused connection as a transient network error', async () => {
    const gone = await startFeedServer();
    const url = gone.url('/feed');
    await gone.close();
    const err = await failure(fetcherWith().fetch({ url, trust: 'trusted' }));
    expect(err.message).toBe(`Feed fetch failed (connection refused): ${url}`);
    expect(err.details.kind).toBe('transient');
  });
});

describe('timeouts, truncation and size', () => {
  it('gives up on a server that never sends headers, naming the timeout', async () => {
    server.setRoute('/hang', { hang: true });
    const err = await failure(fetcherWith().fetch(trusted('/hang')));
    expect(err.message).toBe(
      `Feed fetch failed (timed out waiting for headers after 300ms): ${server.url('/hang')}`,
    );
    expect(err.details.kind).toBe('transient');
  });

  it('gives up on a body that keeps dripping past the whole-body deadline', async () => {
    // Never silent long enough for an inactivity timeout: only a deadline on the whole body ends it.
    server.setRoute('/drip', { body: RSS.repeat(20), drip: { bytes: 1, everyMs: 20 } });
    const err = await failure(fetcherWith().fetch(trusted('/drip')));
    expect(err.message).toBe(
      `Feed fetch failed (timed out reading the body after 300ms): ${server.url('/drip')}`,
    );
    expect(err.details.kind).toBe('transient');
  });

  // Incompressible bytes, so the gzipped body is long enough to be cut in the middle.
  const noise = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251));
  it.each([
    ['with a Content-Length', '/cut-length', {}, /body truncated after \d+ of 100000 bytes/],
    [
      'sent chunked',
      '/cut-chunked',
      { contentLength: false as const },
      /body truncated after \d+ bytes/,
    ],
    [
      'gzipped',
      '/cut-gzip',
      { encoding: 'gzip' as const, contentLength: false as const },
      /body truncated/,
    ],
  ])(
    'reports a body cut off mid-way (%s) as truncated, not as a shorter feed',
    async (_case, path, spec, message) => {
      server.setRoute(path, { body: noise, cutAfter: 1000, ...spec });
      const err = await failure(fetcherWith().fetch(trusted(path)));
      expect(err.message).toMatch(message);
      expect(err.details.kind).toBe('transient');
    },
  );

  it.each([
    ['announced by Content-Length', {}],
    ['sent chunked', { contentLength: false as const }],
  ])('refuses a body over the size cap (%s)', async (_case, spec) => {
    const path = `/big-${_case.split(' ')[0]}`;
    server.setRoute(path, { body: 'x'.repeat(2 * 1024 * 1024), ...spec });
    const err = await failure(fetcherWith({ maxBytes: 1024 * 1024 }).fetch(trusted(path)));
    expect(err.message).toBe(`Feed fetch failed (body larger than 1 MB): ${server.url(path)}`);
    expect(err.details.kind).toBe('permanent');
  });

  it('stops inflating a gzip bomb at the size cap', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    server.setRoute('/bomb', { body: bomb, headers: { 'content-encoding': 'gzip' } });
    const err = await failure(fetcherWith({ maxBytes: 1024 * 1024 }).fetch(trusted('/bomb')));
    expect(err.message).toBe(`Feed fetch failed (body larger than 1 MB): ${server.url('/bomb')}`);
  });
});

describe('charsets', () => {
  const title = 'Новости Центральной Азии';
  const plain = `<?xml version="1.0"?><rss><channel><title>${title}</title></channel></rss>`;
  const declared = plain.replace('?>', ' encoding="windows-1251"?>');
  it.each([
    [
      'windows-1251 named by the charset header',
      plain,
      encodeLegacy(plain, 'windows-1251'),
      'text/xml; charset=windows-1251',
    ],
    [
      'windows-1251 named only by the XML declaration',
      declared,
      encodeLegacy(declared, 'windows-1251'),
      'text/xml',
    ],
    [
      'koi8-r named by the charset header',
      plain,
      encodeLegacy(plain, 'koi8-r'),
      'text/xml; charset=KOI8-R',
    ],
    [
      'utf-8 with a BOM',
      plain,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plain)]),
      'text/xml',
    ],
  ])('decodes %s', async (_case, text, body, contentType) => {
    const path = `/charset-${_case.replace(/\W+/g, '-')}`;
    server.setRoute(path, { body, contentType });
    const result = await fetcherWith().fetch(trusted(path));
    expect(result).toMatchObject({ kind: 'ok', contentType, bytes: body.length, body: text });
  });
});

describe('local files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'briefing-fetch-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['a path', FIXTURE],
    ['a file:// URL', pathToFileURL(FIXTURE).href],
  ])(
    'reads a trusted feed from %s, then reports it not-modified while unchanged',
    async (_case, url) => {
      const fetcher = fetcherWith();
      const first = await fetcher.fetch({ url, trust: 'trusted' });
      expect(first).toMatchObject({ kind: 'ok', url, finalUrl: pathToFileURL(FIXTURE).href });
      expect(first.kind === 'ok' && first.body).toContain(
        '<title>Trend News Agency - Central Asia</title>',
      );
      const etag = first.kind === 'ok' ? first.etag : undefined;
      expect(etag).toBeTruthy();
      expect((await fetcher.fetch({ url, trust: 'trusted', etag })).kind).toBe('not-modified');
    },
  );

  it('reads a changed file again and decodes it like an HTTP body', async () => {
    const file = join(dir, 'feed.xml');
    await writeFile(file, '<?xml version="1.0"?><rss/>');
    const fetcher = fetcherWith();
    const first = await fetcher.fetch({ url: file, trust: 'trusted' });
    const changed = '<?xml version="1.0" encoding="windows-1251"?><rss><title>Лента</title></rss>';
    await writeFile(file, encodeLegacy(changed, 'windows-1251'));
    const etag = first.kind === 'ok' ? first.etag : undefined;
    const second = await fetcher.fetch({ url: file, trust: 'trusted', etag });
    expect(second.kind === 'ok' && second.body).toContain('<title>Лента</title>');
  });

  it('applies the size cap to files', async () => {
    const err = await failure(
      fetcherWith({ maxBytes: 100 }).fetch({ url: FIXTURE, trust: 'trusted' }),
    );
    expect(err.message).toBe(`Feed fetch failed (file larger than 100 bytes): ${FIXTURE}`);
  });

  it('reports a missing file as permanent', async () => {
    const missing = join(dir, 'missing.xml');
    const err = await failure(fetcherWith().fetch({ url: missing, trust: 'trusted' }));
    expect(err.message).toBe(`Feed fetch failed (no such file): ${missing}`);
    expect(err.details.kind).toBe('permanent');
  });

  it.each([FIXTURE, pathToFileURL(FIXTURE).href])(
    'never reads a file for an untrusted feed (%s)',
    async (url) => {
      const err = await failure(fetcherWith().fetch({ url, trust: 'untrusted' }));
      expect(err.message).toMatch(/^Feed URL refused: /);
      expect(err.details.kind).toBe('permanent');
    },
  );
});

describe('SSRF guard', () => {
  it('refuses a feed on this machine when it is untrusted', async () => {
    server.setRoute('/internal', { body: RSS });
    const url = server.url('/internal');
    const err = await failure(fetcherWith().fetch({ url, trust: 'untrusted' }));
    expect(err.message).toBe(`Feed URL refused: ${url} resolves to 127.0.0.1 (loopback)`);
    expect(err.details.kind).toBe('permanent');
    expect(server.requests('/internal')).toHaveLength(0);
  });

  it('lets an untrusted feed reach a private address when the operator allows private feeds', async () => {
    server.setRoute('/allowed', { body: RSS });
    const result = await fetcherWith({ allowPrivate: true }).fetch({
      url: server.url('/allowed'),
      trust: 'untrusted',
    });
    expect(result.kind).toBe('ok');
  });

  it('still refuses credentials and other schemes in untrusted URLs when private feeds are allowed', async () => {
    const fetcher = fetcherWith({ allowPrivate: true });
    const withPassword = `http://u:p@127.0.0.1:${server.port}/allowed`;
    expect(
      (await failure(fetcher.fetch({ url: withPassword, trust: 'untrusted' }))).message,
    ).toMatch(/contains a username or password/);
    expect(
      (await failure(fetcher.fetch({ url: 'ftp://127.0.0.1/feed', trust: 'untrusted' }))).message,
    ).toMatch(/uses ftp/);
  });

  it('connects to the address it checked, not to a second DNS answer', async () => {
    server.setRoute('/pinned', { body: RSS });
    const asked: string[] = [];
    // public.test exists in no real DNS: the fetch can only succeed through the pinned address.
    const resolve = async (host: string) => (
      asked.push(host), asked.length === 1 ? ['127.0.0.1'] : ['10.9.9.9']
    );
    const fetcher = fetcherWith({ resolve, allowAddresses: ['127.0.0.1'] });
    const result = await fetcher.fetch({
      url: `http://public.test:${server.port}/pinned`,
      trust: 'untrusted',
    });
    expect(result).toMatchObject({ kind: 'ok', body: RSS });
    expect(asked).toEqual(['public.test']);
    expect(server.requests('/pinned')[0]?.headers.host).toBe(`public.test:${server.port}`);
  });

  it.each([
    [
      'a cloud metadata address',
      'http://169.254.169.254/latest/meta-data/',
      'resolves to 169.254.169.254 (cloud metadata)',
    ],
    [
      'a host that resolves to a private address',
      'http://intranet.test/feed',
      'resolves to 10.0.0.7 (private)',
    ],
    ['another loopback address', 'http://127.0.0.2/feed', 'resolves to 127.0.0.2 (loopback)'],
    ['IPv6 loopback', 'http://[::1]/feed', 'resolves to ::1 (loopback)'],
    ['a local file', 'file:///etc/passwd', 'uses file; only http and https feeds are allowed'],
  ])('checks every redirect hop: refuses a redirect to %s', async (_case, target, why) => {
    const path = `/hop-${_case.replace(/\W+/g, '-')}`;
    server.setRoute(path, { redirect: target });
    const dns: Record<string, string[]> = {
      'public.test': ['127.0.0.1'],
      'intranet.test': ['10.0.0.7'],
    };
    const fetcher = fetcherWith({
      resolve: async (host) => dns[host] ?? [],
      allowAddresses: ['127.0.0.1'],
    });
    const err = await failure(
      fetcher.fetch({ url: `http://public.test:${server.port}${path}`, trust: 'untrusted' }),
    );
    expect(err.message).toBe(`Feed URL refused: ${target} ${why}`);
    expect(server.requests(path)).toHaveLength(1);
  });
});

describe('concurrency', () => {
  /**
   * A route that holds requests until `batch` of them are waiting, so the fetcher's limit is
   * really used, then keeps them a moment longer (server-side slowness, nothing the test waits
   * on) so that a request over the limit would arrive while they are held and show in the count.
   */
  function gate(target: FeedServer, path: string, batch: number, total: number) {
    const held: ServerResponse[] = [];
    let arrived = 0;
    const flush = () => {
      for (const r of held.splice(0)) r.end(RSS);
    };
    target.setRoute(path, (_req, res) => {
      held.push(res);
      if (++arrived === total) flush();
      else if (held.length === batch) setTimeout(flush, 30);
    });
  }

  it('never runs more than perHostConcurrency fetches against one host', async () => {
    const own = await startFeedServer();
    try {
      gate(own, '/busy', 2, 6);
      const fetcher = fetcherWith({ perHostConcurrency: 2 });
      const request = { url: own.url('/busy'), trust: 'trusted' as const };
      const results = await Promise.all(Array.from({ length: 6 }, () => fetcher.fetch(request)));
      expect(results.every((r) => r.kind === 'ok')).toBe(true);
      expect(own.requests('/busy')).toHaveLength(6);
      expect(own.maxInFlight).toBe(2);
    } finally {
      await own.close();
    }
  });

  it('never runs more than concurrency fetches overall, across hosts', async () => {
    const own = await startFeedServer();
    try {
      gate(own, '/busy', 3, 8);
      const fetcher = fetcherWith({ ...pinnedToLocal, concurrency: 3, perHostConcurrency: 2 });
      const urls = ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'].map(
        (h) => `http://${h}.test:${own.port}/busy`,
      );
      await Promise.all(urls.map((url) => fetcher.fetch({ url, trust: 'untrusted' })));
      expect(own.maxInFlight).toBe(3);
    } finally {
      await own.close();
    }
  });

  it('stops a running fetch when its signal aborts', async () => {
    server.setRoute('/abort-running', { hang: true });
    const fetcher = fetcherWith({ headersTimeoutMs: 15_000 });
    const controller = new AbortController();
    const running = fetcher.fetch(trusted('/abort-running'), controller.signal);
    await server.waitForRequests('/abort-running');
    controller.abort(new Error('shutting down'));
    await expect(running).rejects.toThrow('shutting down');
  });

  it('stops a queued fetch before it reaches the server when its signal aborts', async () => {
    server.setRoute('/abort-first', { hang: true });
    server.setRoute('/abort-queued', { body: RSS });
    const fetcher = fetcherWith({ perHostConcurrency: 1, headersTimeoutMs: 15_000 });
    const first = new AbortController();
    const queued = new AbortController();
    const running = fetcher.fetch(trusted('/abort-first'), first.signal);
    await server.waitForRequests('/abort-first');
    const waiting = fetcher.fetch(trusted('/abort-queued'), queued.signal);
    queued.abort(new Error('not needed'));
    await expect(waiting).rejects.toThrow('not needed');
    first.abort(new Error('done'));
    await expect(running).rejects.toThrow('done');
    expect(server.requests('/abort-queued')).toHaveLength(0);
  });

  it.each([
    [
      'a trusted',
      {},
      (port: number) => ({ url: `http://127.0.0.1:${port}/slow`, trust: 'trusted' as const }),
    ],
    [
      'an untrusted, pinned',
      pinnedToLocal,
      (port: number) => ({ url: `http://public.test:${port}/slow`, trust: 'untrusted' as const }),
    ],
  ])('lets %s fetch that is running finish when closed', async (_case, options, request) => {
    let answer: ServerResponse | undefined;
    server.setRoute('/slow', (_req, res) => void (answer = res));
    const before = server.requests('/slow').length;
    const fetcher = createFetcher({ ...FAST, ...options, headersTimeoutMs: 15_000 });
    const running = fetcher.fetch(request(server.port));
    await server.waitForRequests('/slow', before + 1);
    const closing = fetcher.close();
    answer!.end(RSS);
    await expect(running).resolves.toMatchObject({ kind: 'ok', body: RSS });
    await closing;
  });

  it('refuses to fetch after close', async () => {
    const fetcher = createFetcher();
    await fetcher.close();
    await expect(fetcher.fetch(trusted('/etag'))).rejects.toThrow('Fetcher is closed');
  });
});
