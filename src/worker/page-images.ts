/**
 * OG_IMAGE: the picture of an item whose feed gave none, from its article page's `og:image` (or
 * `twitter:image`). The page is read through the feed fetcher, so the SSRF guard, redirects,
 * timeouts and per-host politeness are the feeds' own; only the head is read, under a smaller
 * cap. What a page said is remembered per link (misses too), so a link is read at most once.
 * Nothing here fails a poll: a page that cannot be read just leaves the item without a picture.
 */
import type { PolledFeed, Trust } from '../domain/feed';
import type { Item } from '../domain/item';
import { FeedError } from '../errors';
import type { Fetcher } from '../feeds/fetch';
import { pageImage } from '../feeds/page-image';
import type { Logger } from '../log';
import type { PageImagesRepo } from '../store/page-images';

export interface PageImageOptions {
  fetcher: Fetcher;
  cache: PageImagesRepo;
  logger: Logger;
  /** Bytes of a page read at most, when `</head>` has not come before. @default 256 KiB */
  maxBytes?: number;
  /**
   * How long the page lookups of one feed's poll may take together: its briefings wait for them,
   * so a slow site delays them by this at most, and goes without pictures. @default 10_000
   */
  timeoutMs?: number;
}

/** Item key → image URL, for those of `items` whose page names one. */
export type PageImages = (
  items: Item[],
  feed: PolledFeed,
  signal?: AbortSignal,
) => Promise<Map<string, string>>;

/**
 * The operator vouches for a feed's own host (a local RSSHub, an intranet), not for every host its
 * items link to: a link elsewhere is the publisher's word, and is read behind the guard, as a
 * guild's feed and its links always are.
 */
export function pageTrust(feed: PolledFeed, link: string): Trust {
  if (feed.trust !== 'trusted') return 'untrusted';
  try {
    return new URL(link).host === new URL(feed.url).host ? 'trusted' : 'untrusted';
  } catch {
    return 'untrusted'; // a local file feed has no host to share
  }
}

const isWebLink = (link: string) => /^https?:\/\//i.test(link);

export function createPageImages(options: PageImageOptions): PageImages {
  const { fetcher, cache, logger } = options;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;

  // Two feeds listing one link, polled at once, share one read of its page.
  const reading = new Map<string, Promise<string | undefined>>();
  function readOnce(link: string, trust: Trust, signal: AbortSignal, stop?: AbortSignal) {
    const key = `${trust}\n${link}`;
    let pending = reading.get(key);
    if (!pending) {
      pending = read(link, trust, signal, stop).finally(() => reading.delete(key));
      reading.set(key, pending);
    }
    return pending;
  }

  /** Reads one page; undefined for no picture. Only a shutdown leaves nothing in the cache. */
  async function read(link: string, trust: Trust, signal: AbortSignal, stop?: AbortSignal) {
    let image: string | undefined;
    try {
      const page = await fetcher.fetch({ url: link, trust, pageHead: { maxBytes } }, signal);
      image = page.kind === 'ok' ? pageImage(page.body, page.finalUrl) : undefined;
      if (!image) logger.debug('page image: the page names none', { link });
    } catch (err) {
      if (stop?.aborted) return undefined;
      const reason =
        err instanceof FeedError
          ? err.message
          : signal.aborted
            ? `not read within ${timeoutMs} ms`
            : String(err);
      logger.debug('page image: page not read', { link, reason });
    }
    await cache.record(link, trust, image);
    return image;
  }

  return async (items, feed, stop) => {
    const pages = new Map<string, Trust>();
    for (const item of items)
      if (!item.image && item.link && isWebLink(item.link))
        pages.set(item.link, pageTrust(feed, item.link));
    const images = new Map<string, string>();
    if (pages.size === 0) return images;
    const wanted = [...pages].map(([link, trust]) => ({ link, trust }));
    const cached = await cache.getMany(wanted);
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = stop ? AbortSignal.any([stop, deadline]) : deadline;
    const found = await Promise.all(
      wanted.map(async ({ link, trust }, i) =>
        cached[i] ? cached[i].image : await readOnce(link, trust, signal, stop),
      ),
    );
    const byLink = new Map(wanted.map(({ link }, i) => [link, found[i]]));
    for (const item of items) {
      const image = item.link && !item.image ? byLink.get(item.link) : undefined;
      if (image) images.set(item.key, image);
    }
    return images;
  };
}
