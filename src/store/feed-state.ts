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

/** Guids found naming several items of one of a feed's documents (`sharedGuids`), since when. */
export const SharedGuidsSchema = z.object({
  guids: z.array(z.string()),
  /** When the feed first showed one (ISO). */
  since: z.string(),
});
export type SharedGuids = z.infer<typeof SharedGuidsSchema>;

/** Bounded, so a hostile feed cannot grow the record without end; the newest are kept. */
export const MAX_SHARED_GUIDS = 100;

export interface FeedStateRepo {
  fetchState(url: string): Promise<FetchState>;
  saveFetchState(url: string, state: FetchState): Promise<void>;
  /** Whether a feed's first poll (archive without delivering) has happened. */
  isPrimed(feedId: string): Promise<boolean>;
  /** What processing a feed's poll reads of its state (isPrimed and sharedGuids), in one read. */
  ofFeed(feedId: string): Promise<{ primed: boolean; sharedGuids: SharedGuids | undefined }>;
  markPrimed(feedId: string): Promise<void>;
  /** The guids that are no identity for this feed; undefined while it has shown none. */
  sharedGuids(feedId: string): Promise<SharedGuids | undefined>;
  /** Adds guids to the feed's shared ones (the newest kept when there are too many). */
  noteSharedGuids(feedId: string, guids: string[], at: Date): Promise<SharedGuids>;
}

export function createFeedStateRepo(kv: KV): FeedStateRepo {
  const fetchKey = (url: string) => `fetch:${digest(url)}`;
  const guidsKey = (feedId: string) => `guids:${feedId}`;
  const primedKey = (feedId: string) => `primed:${feedId}`;
  const parseGuids = (raw: unknown) => SharedGuidsSchema.safeParse(raw).data;
  const sharedGuids = async (feedId: string) => parseGuids(await kv.get(guidsKey(feedId)));
  return {
    async fetchState(url) {
      const raw = await kv.get(fetchKey(url));
      const parsed = FetchStateSchema.safeParse(raw ?? {});
      // A record written by an incompatible version is treated as a fresh start, not a crash.
      return parsed.success ? parsed.data : { failures: 0 };
    },
    saveFetchState: (url, state) => kv.set(fetchKey(url), FetchStateSchema.parse(state)),
    isPrimed: async (feedId) => (await kv.get<boolean>(primedKey(feedId))) === true,
    async ofFeed(feedId) {
      const [primed, guids] = await kv.getMany([primedKey(feedId), guidsKey(feedId)]);
      return { primed: primed === true, sharedGuids: parseGuids(guids) };
    },
    markPrimed: (feedId) => kv.set(primedKey(feedId), true),
    sharedGuids,
    // One update: two processes noting guids of the same feed at once keep both.
    noteSharedGuids: (feedId, guids, at) =>
      kv.update([guidsKey(feedId)], ([raw]) => {
        const known = parseGuids(raw);
        const all = [...new Set([...(known?.guids ?? []), ...guids])];
        const next = {
          guids: all.slice(-MAX_SHARED_GUIDS),
          since: known?.since ?? at.toISOString(),
        };
        return { writes: [{ key: guidsKey(feedId), value: next }], result: next };
      }),
  };
}
