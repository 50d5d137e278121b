/**
 * The feed fetcher: conditional GET over undici with our own redirect handling (so every hop is
 * checked), timeouts for connect, headers and the whole body, a decompressed size cap, charset
 * decoding, concurrency limits, and the SSRF guard for URLs that guild admins added.
 * Local files (trusted feeds only) are read from disk under the same rules.
 */
import { FeedError } from '../errors';
import { fetchFailed, networkError } from './fetch-errors';
import { fetchFile, isLocalFeed } from './fetch-file';
import { createHops } from './fetch-hop';
import { fetchHttp } from './fetch-http';
import { createLimiter } from './fetch-limits';
import { type FetcherOptions, withDefaults } from './fetch-options';
import type { Fetcher } from './fetch-types';
import { checkUrlShape } from './url-guard';

export type { FetcherOptions, HostSlots } from './fetch-options';
export type { Fetcher, FetchRequest, FetchResult } from './fetch-types';

export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const o = withDefaults(options);
  const limiter = createLimiter(o.concurrency, o.perHostConcurrency);
  const hops = createHops(o);
  let closed = false;

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
      // Taken outside the try below: a shared slot that cannot be had is no failure of the feed.
      const releaseShared = start
        ? await o.sharedHostSlots?.acquire(start.hostname, signal).catch((err: unknown) => {
            release();
            throw err;
          })
        : undefined;
      try {
        return start
          ? await fetchHttp(start, req, hops, o, signal)
          : await fetchFile(req.url, req, o.maxBytes);
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        throw err instanceof FeedError ? err : networkError(err, req.url, o);
      } finally {
        releaseShared?.();
        release();
      }
    },
    async close() {
      closed = true;
      await hops.close();
    },
  };
}
