import { FeedError, UserError } from '../errors';
import type { Fetcher } from '../feeds/fetch';
import { parseFeed } from '../feeds/parse';
import { checkUrlShape } from '../feeds/url-guard';

export interface DiscoveredFeed {
  url: string;
  title?: string;
}

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
]);
/** A page linking more feeds than this is a directory; the first few are the site's main ones. */
const MAX_CANDIDATES = 3;

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    attrs.set(m[1]!.toLowerCase(), (m[2] ?? m[3] ?? m[4] ?? '').trim());
  }
  return attrs;
}

const decodeEntities = (s: string) => s.replace(/&amp;/gi, '&').replace(/&#38;/g, '&');

/**
 * The feeds an HTML page announces with `<link rel="alternate" type="application/rss+xml"
 * href="…">` (or Atom / JSON Feed), resolved against the page URL, in page order.
 */
export function alternateFeedLinks(html: string, pageUrl: string): string[] {
  const head = html.slice(0, 512 * 1024);
  const found: string[] = [];
  for (const [tag] of head.matchAll(/<link\b[^>]*>/gi)) {
    const a = attributes(tag);
    const rel = (a.get('rel') ?? '').toLowerCase().split(/\s+/);
    const type = (a.get('type') ?? '').toLowerCase().split(';')[0]!.trim();
    const href = a.get('href');
    if (!rel.includes('alternate') || !FEED_TYPES.has(type) || !href) continue;
    try {
      const url = new URL(decodeEntities(href), pageUrl).href;
      if (!found.includes(url)) found.push(url);
    } catch {
      // An unusable href is skipped; the next link may do.
    }
  }
  return found;
}

const unreachable = (url: string, err: FeedError) =>
  new UserError(`I could not read ${url}: ${err.message}`);

/**
 * A website URL or a feed URL → the feed to follow. The page is fetched as untrusted (the SSRF
 * guard applies to it and to every link it names); a feed is taken as is, an HTML page is
 * searched for the feeds it links.
 */
export async function discoverFeed(fetcher: Fetcher, rawUrl: string): Promise<DiscoveredFeed> {
  let start: string;
  try {
    start = checkUrlShape(rawUrl).href;
  } catch (err) {
    if (err instanceof FeedError) throw new UserError(`That URL cannot be used: ${err.message}`);
    throw err;
  }
  const page = await fetcher.fetch({ url: start, trust: 'untrusted' }).catch((err: unknown) => {
    throw err instanceof FeedError ? unreachable(start, err) : err;
  });
  if (page.kind !== 'ok') throw new UserError(`${start} answered without a body.`);
  try {
    return { url: start, title: (await parseFeed(page.body, start)).title };
  } catch (err) {
    if (!(err instanceof FeedError)) throw err;
  }
  for (const candidate of alternateFeedLinks(page.body, page.finalUrl).slice(0, MAX_CANDIDATES)) {
    try {
      const feed = await fetcher.fetch({ url: candidate, trust: 'untrusted' });
      if (feed.kind === 'ok')
        return { url: candidate, title: (await parseFeed(feed.body, candidate)).title };
    } catch (err) {
      if (!(err instanceof FeedError)) throw err;
    }
  }
  throw new UserError(
    `No feed found at ${start}: it is not RSS or Atom, and the page links no feed ` +
      '(`<link rel="alternate" type="application/rss+xml">`). Try the feed\'s own URL.',
  );
}
