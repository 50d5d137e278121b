/**
 * The feed fetcher: conditional GET over undici with our own redirect handling (so every hop is
 * checked), timeouts for connect, headers and the whole body, a decompressed size cap, charset
 * decoding, concurrency limits, and the SSRF guard for URLs that guild admins added.
 * Local files (trusted feeds only) are read from disk under the same rules.
 */
import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { FeedError } from '../errors';
import { decodeFeedBytes } from './decode';
import { readBody } from './fetch-body';
import { fetchFailed, networkError, statusError } from './fetch-errors';
import { fetchFile, isLocalFeed } from './fetch-file';
import { createLimiter } from './fetch-limits';
import { withDefaults, type FetcherOptions } from './fetch-options';
import { checkUrlShape, createUrlGuard, displayUrl, pinnedLookup } from './url-guard';

export type { FetcherOptions } from './fetch-options';

export interface FetchRequest {
  url: string;
  /** Validators from the previous successful fetch; sent as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  /**
   * 'trusted' = operator's config/feeds.yaml (localhost and local files allowed); 'untrusted' =
   * added by a guild admin (SSRF guard applies).
   * @default 'untrusted'
   */
  trust?: 'trusted' | 'untrusted';
}

export type FetchResult =
  | { kind: 'not-modified'; url: string; finalUrl: string }
  | {
      kind: 'ok';
      url: string;
      /** Where the body came from after redirects (without credentials); file:// for local files. */
      finalUrl: string;
      body: string;
      /** Size of the body after decompression, before decoding. */
      bytes: number;
      contentType?: string;
      etag?: string;
      lastModified?: string;
    };

export interface Fetcher {
  /** Rejects with a FeedError, or with the signal's reason when `signal` aborts. */
  fetch(req: FetchRequest, signal?: AbortSignal): Promise<FetchResult>;
  /** Lets running fetches finish, then releases every connection. */
  close(): Promise<void>;
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Hop {
  dispatcher: Dispatcher;
  dispose(): Promise<void>;
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Credentials in an operator's URL become Basic auth, sent to that origin only. */
function basicAuth(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part; // a stray '%' is a literal character, not an escape
    }
  };
  const pair = `${decode(url.username)}:${decode(url.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

function nextUrl(
  from: URL,
  location: string,
  visited: Set<string>,
  redirects: number,
  max: number,
): URL {
  const fail = (reason: string) => fetchFailed(reason, displayUrl(from), { kind: 'permanent' });
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw fail(`redirect to invalid URL ${location}`);
  }
  if (visited.has(next.href)) throw fail(`redirect loop back to ${displayUrl(next)}`);
  if (redirects >= max) throw fail(`more than ${max} redirects`);
  return next;
}

export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const o = withDefaults(options);
  const limiter = createLimiter(o.concurrency, o.perHostConcurrency);
  const guard = createUrlGuard({
    resolve: o.resolve,
    allowAddresses: o.allowAddresses,
    timeoutMs: o.connectTimeoutMs,
    allowPrivate: o.allowPrivate,
    allowCloudMetadata: o.allowCloudMetadata,
  });
  const agentFor = (lookup?: LookupFunction) =>
    new Agent({
      connect: { timeout: o.connectTimeoutMs, ...(lookup && { lookup }) },
      headersTimeout: o.headersTimeoutMs,
      // undici's body timeout is for silence between chunks; readBody enforces the whole deadline.
      bodyTimeout: o.bodyTimeoutMs,
    });
  const shared = agentFor();
  const sharedHop: Hop = { dispatcher: shared, dispose: async () => {} };
  const pinnedAgents = new Set<Agent>();
  let closed = false;

  /** The dispatcher for one hop; for untrusted URLs, one whose connections reach only checked addresses. */
  async function openHop(
    url: URL,
    trust: 'trusted' | 'untrusted',
    signal?: AbortSignal,
  ): Promise<Hop> {
    if (trust === 'trusted') {
      // Operator feeds may go anywhere over http(s), but a redirect must not lead to file: or ftp:.
      if (url.protocol !== 'http:' && url.protocol !== 'https:') checkUrlShape(url);
      return sharedHop;
    }
    const pinned = agentFor(pinnedLookup(await guard(url, signal)));
    pinnedAgents.add(pinned);
    return {
      dispatcher: pinned,
      dispose: async () => {
        pinnedAgents.delete(pinned);
        await pinned.destroy();
      },
    };
  }

  async function answer(
    res: Dispatcher.ResponseData,
    req: FetchRequest,
    url: URL,
  ): Promise<FetchResult> {
    const finalUrl = displayUrl(url);
    const get = (name: string) => header(res.headers, name);
    if (res.statusCode === 304 || res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump().catch(() => {});
      if (res.statusCode === 304) return { kind: 'not-modified', url: req.url, finalUrl };
      throw statusError(res.statusCode, finalUrl, get('retry-after'), o.now());
    }
    const length = Number(get('content-length'));
    const contentLength = Number.isSafeInteger(length) ? length : undefined;
    const bytes = await readBody(
      res.body,
      finalUrl,
      { contentEncoding: get('content-encoding'), contentLength },
      o,
    );
    const contentType = get('content-type');
    return {
      kind: 'ok',
      url: req.url,
      finalUrl,
      body: decodeFeedBytes(bytes, contentType),
      bytes: bytes.length,
      contentType,
      etag: get('etag'),
      lastModified: get('last-modified'),
    };
  }

  async function fetchHttp(
    start: URL,
    req: FetchRequest,
    signal?: AbortSignal,
  ): Promise<FetchResult> {
    const auth = basicAuth(start);
    const visited = new Set<string>();
    for (let url = start, redirects = 0; ; redirects++) {
      visited.add(url.href);
      const hop = await openHop(url, req.trust ?? 'untrusted', signal);
      try {
        const headers: Record<string, string> = {
          'user-agent': o.userAgent,
          accept: ACCEPT,
          'accept-encoding': 'gzip, deflate, br',
        };
        if (req.etag) headers['if-none-match'] = req.etag;
        if (req.lastModified) headers['if-modified-since'] = req.lastModified;
        if (auth && url.origin === start.origin) headers.authorization = auth;
        const res = await hop.dispatcher
          .request({
            origin: url.origin,
            path: url.pathname + url.search,
            method: 'GET',
            headers,
            signal,
          })
          .catch((err: unknown) => Promise.reject(networkError(err, displayUrl(url), o)));
        const location = REDIRECTS.has(res.statusCode)
          ? header(res.headers, 'location')
          : undefined;
        if (location === undefined) return await answer(res, req, url);
        await res.body.dump().catch(() => {});
        url = nextUrl(url, location, visited, redirects, o.maxRedirects);
      } finally {
        await hop.dispose();
      }
    }
  }

  return {
    async fetch(req, signal) {
      if (closed) throw new Error('Fetcher is closed');
      const trusted = req.trust === 'trusted';
      const local = trusted && isLocalFeed(req.url);
      let start: URL | undefined;
      if (!local) {
        try {
          start = trusted ? new URL(req.url) : checkUrlShape(req.url);
        } catch (err) {
          if (err instanceof FeedError) throw err;
          throw fetchFailed('invalid URL', req.url, { kind: 'permanent', cause: err });
        }
      }
      const release = await limiter.acquire(start?.hostname ?? 'file:', signal);
      try {
        return start
          ? await fetchHttp(start, req, signal)
          : await fetchFile(req.url, req, o.maxBytes);
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        throw err instanceof FeedError ? err : networkError(err, req.url, o);
      } finally {
        release();
      }
    },
    async close() {
      closed = true;
      // Each pinned agent is destroyed by its own fetch once done; closing it first lets that fetch finish.
      await Promise.all([
        shared.close(),
        ...[...pinnedAgents].map((a) => a.close().catch(() => {})),
      ]);
    },
  };
}
