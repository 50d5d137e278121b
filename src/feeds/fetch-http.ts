/**
 * One conditional GET over HTTP(S), following redirects by hand so that every hop goes through
 * the same checks (and, for untrusted URLs, the SSRF guard) as the first.
 */
import type { Dispatcher } from 'undici';
import { decodeFeedBytes } from './decode';
import { readBody } from './fetch-body';
import { fetchFailed, networkError, statusError } from './fetch-errors';
import type { Hops } from './fetch-hop';
import type { ResolvedFetcherOptions } from './fetch-options';
import type { FetchRequest, FetchResult } from './fetch-types';
import { displayUrl } from './url-guard';

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8';
const HTML_TYPE = /^\s*(?:text\/html|application\/xhtml\+xml)\s*(?:;|$)/i;
const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

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

async function answer(
  res: Dispatcher.ResponseData,
  req: FetchRequest,
  url: URL,
  o: ResolvedFetcherOptions,
): Promise<FetchResult> {
  const finalUrl = displayUrl(url);
  const get = (name: string) => header(res.headers, name);
  if (res.statusCode === 304 || res.statusCode < 200 || res.statusCode >= 300) {
    await res.body.dump().catch(() => {});
    if (res.statusCode === 304) return { kind: 'not-modified', url: req.url, finalUrl };
    throw statusError(res.statusCode, finalUrl, get('retry-after'), o.now());
  }
  const contentType = get('content-type');
  // A page link that is a video or a PDF has no head to read: not a byte of it is worth reading.
  if (req.pageHead && contentType && !HTML_TYPE.test(contentType)) {
    await res.body.dump().catch(() => {});
    throw fetchFailed(`not an HTML page: ${contentType.slice(0, 100)}`, finalUrl, {
      kind: 'permanent',
    });
  }
  const length = Number(get('content-length'));
  const contentLength = Number.isSafeInteger(length) ? length : undefined;
  const bytes = await readBody(
    res.body,
    finalUrl,
    { contentEncoding: get('content-encoding'), contentLength },
    req.pageHead ? { ...o, maxBytes: req.pageHead.maxBytes, stopAtHead: true } : o,
  );
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

export async function fetchHttp(
  start: URL,
  req: FetchRequest,
  hops: Hops,
  o: ResolvedFetcherOptions,
  signal?: AbortSignal,
): Promise<FetchResult> {
  const auth = basicAuth(start);
  const visited = new Set<string>();
  for (let url = start, redirects = 0; ; redirects++) {
    visited.add(url.href);
    const hop = await hops.open(url, req.trust, signal);
    try {
      const headers: Record<string, string> = {
        'user-agent': o.userAgent,
        accept: req.pageHead ? PAGE_ACCEPT : ACCEPT,
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
      const location = REDIRECTS.has(res.statusCode) ? header(res.headers, 'location') : undefined;
      if (location === undefined) return await answer(res, req, url, o);
      await res.body.dump().catch(() => {});
      url = nextUrl(url, location, visited, redirects, o.maxRedirects);
    } finally {
      await hop.dispose();
    }
  }
}
