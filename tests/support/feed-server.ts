/**
 * A real HTTP server on 127.0.0.1 (random port) that serves feeds to tests, so the fetcher and the
 * worker are exercised over real sockets and never the internet.
 *
 * ```ts
 * const server = await startFeedServer({
 *   '/feed.xml': { body: '<rss>…</rss>', etag: '"v1"' },          // answers 304 to If-None-Match: "v1"
 *   '/old': { redirect: '/feed.xml' },                              // 302 → /feed.xml
 * });
 * server.serveFile('/trend.rss', 'trend-central-asia.rss');         // tests/fixtures/feeds/…
 * await fetcher.fetch({ url: server.url('/feed.xml'), trust: 'trusted' });
 * expect(server.requests('/feed.xml')).toHaveLength(1);
 * server.setRoute('/feed.xml', { body: newBody, etag: '"v2"' });    // the feed changes between polls
 * await server.close();                                             // in afterAll/afterEach
 * ```
 *
 * A route is either a declarative {@link RouteSpec} (status, headers, validators with automatic
 * 304, gzip/br/deflate, redirect, delay, drip, hang, cut mid-body) or a plain node `(req, res)`
 * handler for anything else, e.g. holding responses until the test releases them. Unknown paths
 * answer 404; the query string is ignored when matching. Every request is recorded before it is
 * answered ({@link FeedServer.requests}); {@link FeedServer.waitForRequests} lets a test wait for
 * an arrival instead of sleeping, and {@link FeedServer.maxInFlight} counts concurrent requests.
 * Fetchers must be told `trust: 'trusted'`: an untrusted URL on 127.0.0.1 is refused by design.
 *
 * Also exported: {@link readFixture} (bytes of a fixture feed) and {@link encodeLegacy} (text in
 * windows-1251, koi8-r, … for charset tests).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

export interface RouteSpec {
  /** @default 200 (302 with `redirect`) */
  status?: number;
  /** @default '' */
  body?: string | Buffer;
  /** @default 'application/rss+xml; charset=utf-8' for string bodies, none for Buffers */
  contentType?: string;
  /** Extra response headers (they win over the ones the spec derives). */
  headers?: Record<string, string>;
  /** Sent as `ETag`; a request whose If-None-Match lists it gets 304. */
  etag?: string;
  /** Sent as `Last-Modified`; If-Modified-Since at or after it gets 304 (when there is no If-None-Match). */
  lastModified?: Date;
  /** Compress the body and send `Content-Encoding`. */
  encoding?: 'gzip' | 'br' | 'deflate';
  /** Path on this server or absolute URL to redirect to. */
  redirect?: string;
  /** Server-side wait before the headers are sent. */
  delayMs?: number;
  /** Send the body `bytes` at a time, one piece every `everyMs`. */
  drip?: { bytes: number; everyMs: number };
  /** Never answer: no headers, the socket stays open until the client or close() ends it. */
  hang?: boolean;
  /** Announce the full body (unless `contentLength: false`), send this many (encoded) bytes, then cut. */
  cutAfter?: number;
  /** `false` sends the body chunked (no Content-Length). @default the body's length */
  contentLength?: false;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface RecordedRequest {
  method: string;
  /** Path including the query string. */
  url: string;
  /** Lower-cased header names, as node gives them. */
  headers: IncomingMessage['headers'];
  /** When it arrived (epoch ms): gaps between a feed's polls are read from these. */
  at: number;
}

export interface FeedServer {
  /** `http://127.0.0.1:<port>` (or the host it listens on) */
  readonly origin: string;
  readonly port: number;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  /** Adds or replaces the route for a path (e.g. to change a feed between polls). */
  setRoute(path: string, route: RouteSpec | RouteHandler): void;
  /** Serves `tests/fixtures/feeds/<fixture>` at `path` as application/rss+xml; `spec` adds etag, encoding… */
  serveFile(path: string, fixture: string, spec?: Omit<RouteSpec, 'body'>): void;
  /** Requests received for a path (query string ignored), or for every path, in arrival order. */
  requests(path?: string): RecordedRequest[];
  /**
   * Resolves once `count` requests for `path` have arrived and their handlers have started
   * (immediately if they already have).
   */
  waitForRequests(path: string, count?: number): Promise<RecordedRequest[]>;
  /** The most requests that were being answered at the same moment, over the server's life. */
  readonly maxInFlight: number;
  /** Ends every connection and stops listening; pending drips, delays and hangs are cancelled. */
  close(): Promise<void>;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/feeds/', import.meta.url));

/** Contents of `tests/fixtures/feeds/<name>`. */
export function readFixture(name: string): Buffer {
  return readFileSync(FIXTURES + name);
}

/**
 * `text` encoded in a single-byte legacy charset (windows-1251, koi8-r, …), for serving feeds the
 * way many Central Asian sites do. Characters the charset lacks throw, so a test cannot silently
 * serve question marks.
 */
export function encodeLegacy(text: string, charset: string): Buffer {
  const decoder = new TextDecoder(charset);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from(
    Array.from(text, (ch) => {
      const b = table.get(ch);
      if (b === undefined) throw new RangeError(`${charset} cannot encode ${JSON.stringify(ch)}`);
      return b;
    }),
  );
}

const RSS_TYPE = 'application/rss+xml';
const ENCODERS = { gzip: gzipSync, br: brotliCompressSync, deflate: deflateSync };

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/';
}

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since; weak comparison for GET. */
function isNotModified(req: IncomingMessage, spec: RouteSpec): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    if (!spec.etag) return false;
    const strip = (t: string) => t.trim().replace(/^W\//, '');
    return inm === '*' || inm.split(',').some((t) => strip(t) === strip(spec.etag!));
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined || !spec.lastModified) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(spec.lastModified.getTime() / 1000) * 1000 <= since;
}

export interface FeedServerOptions {
  /**
   * The loopback address to listen on: feeds spread over several (127.0.0.2, …) are several hosts
   * to a fetcher's per-host cap, as a real catalogue's publishers are. @default '127.0.0.1'
   */
  host?: string;
}

export async function startFeedServer(
  routes: Record<string, RouteSpec | RouteHandler> = {},
  options: FeedServerOptions = {},
): Promise<FeedServer> {
  const host = options.host ?? '127.0.0.1';
  const table = new Map(Object.entries(routes));
  const log: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;

  // Tracked so close() can cancel pending delays and drips.
  const timers = new Set<NodeJS.Timeout>();
  const cancel = (t: NodeJS.Timeout) => {
    clearTimeout(t);
    timers.delete(t);
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => (cancel(t), resolve()), ms);
      timers.add(t);
    });

  async function answer(
    spec: RouteSpec,
    req: IncomingMessage,
    res: ServerResponse,
    origin: string,
  ) {
    if (spec.hang) return;
    if (spec.delayMs) await sleep(spec.delayMs);
    const headers: Record<string, string> = {};
    if (spec.etag) headers.etag = spec.etag;
    if (spec.lastModified) headers['last-modified'] = spec.lastModified.toUTCString();
    if (spec.redirect) {
      const location = new URL(spec.redirect, origin).href;
      res.writeHead(spec.status ?? 302, { ...headers, location, ...spec.headers });
      return void res.end();
    }
    if (isNotModified(req, spec))
      return void res.writeHead(304, { ...headers, ...spec.headers }).end();

    let body =
      typeof spec.body === 'string' ? Buffer.from(spec.body) : (spec.body ?? Buffer.alloc(0));
    const type =
      spec.contentType ??
      (typeof spec.body === 'string' ? `${RSS_TYPE}; charset=utf-8` : undefined);
    if (type) headers['content-type'] = type;
    if (spec.encoding) {
      body = ENCODERS[spec.encoding](body);
      headers['content-encoding'] = spec.encoding;
    }
    if (spec.contentLength !== false) headers['content-length'] = String(body.length);
    res.writeHead(spec.status ?? 200, { ...headers, ...spec.headers });

    if (spec.cutAfter !== undefined) {
      res.write(body.subarray(0, spec.cutAfter), () => res.destroy());
    } else if (spec.drip) {
      const { bytes, everyMs } = spec.drip;
      let at = 0;
      const t = setInterval(() => {
        if (!res.destroyed) res.write(body.subarray(at, (at += bytes)));
        if (res.destroyed || at >= body.length) {
          cancel(t);
          res.end();
        }
      }, everyMs);
      timers.add(t);
    } else {
      res.end(body);
    }
  }

  const server = createServer((req, res) => {
    const path = pathOf(req.url);
    log.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      at: Date.now(),
    });
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    res.on('close', () => inFlight--);

    const route = table.get(path);
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const fail = (err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    };
    try {
      const outcome = !route
        ? void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
        : typeof route === 'function'
          ? route(req, res)
          : answer(route, req, res, origin);
      Promise.resolve(outcome).catch(fail);
    } catch (err) {
      fail(err);
    }
    // Woken after the handler has started, so a waiting test can act on what it set up.
    for (const wake of [...waiters]) wake();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;

  const requests = (path?: string) =>
    path === undefined ? [...log] : log.filter((r) => pathOf(r.url) === path);

  return {
    origin,
    port,
    url: (path) => new URL(path, origin).href,
    setRoute: (path, route) => void table.set(path, route),
    serveFile(path, fixture, spec = {}) {
      table.set(path, { contentType: RSS_TYPE, ...spec, body: readFixture(fixture) });
    },
    requests,
    waitForRequests(path, count = 1) {
      return new Promise((resolve) => {
        const check = () => {
          const seen = requests(path);
          if (seen.length < count) return false;
          waiters.delete(check);
          resolve(seen);
          return true;
        };
        if (!check()) waiters.add(check);
      });
    },
    get maxInFlight() {
      return maxInFlight;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
