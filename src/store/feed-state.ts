import { z } from 'zod';
import { digest } from './hash';
import type { KV } from './kv';
import type { Trust } from '../domain/feed';

/**
 * The key of a URL's fetch state (and of its place in the schedule). The trust level is part of it,
 * so a guild's feed never shares an operator's feed's state, nor borrows its trust; trusted URLs
 * keep the bare URL, the form fetch state was first stored under.
 */
export function groupKey(url: string, trust: Trust): string {
  return trust === 'trusted' ? url : `untrusted ${url}`;
}

/** What the poller knows about one URL; several feeds sharing a URL share this. */
export const FetchStateSchema = z.object({
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  lastFetchAt: z.string().optional(),
  lastSuccessAt: z.string().optional(),
  /** When the next fetch is due (ISO); absent until the first fetch. */
  nextFetchAt: z.string().optional(),
  /** Consecutive failures; 0 after a success. Drives the backoff. */
  failures: z.number().int().min(0).default(0),
  lastError: z.string().optional(),
  /** When the current run of failures began, to report a feed failing for more than a day. */
  failingSince: z.string().optional(),
});
export type FetchState = z.infer<typeof FetchStateSchema>;

export interface FeedStateRepo {
  fetchState(url: string): Promise<FetchState>;
  saveFetchState(url: string, state: FetchState): Promise<void>;
  /** Whether a feed's first poll (archive without delivering) has happened. */
  isPrimed(feedId: string): Promise<boolean>;
  markPrimed(feedId: string): Promise<void>;
}

export function createFeedStateRepo(kv: KV): FeedStateRepo {
  const fetchKey = (url: string) => `fetch:${digest(url)}`;
  return {
    async fetchState(url) {
      const raw = await kv.get(fetchKey(url));
      const parsed = FetchStateSchema.safeParse(raw ?? {});
      // A record written by an incompatible version is treated as a fresh start, not a crash.
      return parsed.success ? parsed.data : { failures: 0 };
    },
    saveFetchState: (url, state) => kv.set(fetchKey(url), FetchStateSchema.parse(state)),
    isPrimed: async (feedId) => (await kv.get<boolean>(`primed:${feedId}`)) === true,
    markPrimed: (feedId) => kv.set(`primed:${feedId}`, true),
  };
}
