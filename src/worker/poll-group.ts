import { FeedError } from '../errors';
import type { Fetcher } from '../feeds/fetch';
import { parseFeed } from '../feeds/parse';
import { observe } from '../observe/metrics';
import type { FetchState } from '../store/feed-state';
import { processFeed, type FeedOutcome, type ProcessContext } from './process-feed';
import { backoffDelay, nextSlot, type FetchGroup } from './schedule';

export type GroupOutcome =
  | { kind: 'not-modified'; url: string; nextFetchAt: string }
  | { kind: 'ok'; url: string; feeds: FeedOutcome[]; nextFetchAt: string }
  | { kind: 'failed'; url: string; error: FeedError; failures: number; nextFetchAt: string };

export interface PollContext extends ProcessContext {
  fetcher: Fetcher;
  random: () => number;
}

/**
 * Fetches one URL once for all the feeds that use it and runs each feed's pipeline on the result.
 * Feed failures are recorded with their backoff and returned; store failures are thrown, so the
 * worker pauses instead of marking anything seen.
 */
export const pollGroup = (group: FetchGroup, ctx: PollContext) =>
  observe.poll(() => pollUrl(group, ctx));

async function pollUrl(group: FetchGroup, ctx: PollContext): Promise<GroupOutcome> {
  const { feedState } = ctx.stores;
  const state = await feedState.fetchState(group.key);
  const now = ctx.now.getTime();
  const unprimed = (await Promise.all(group.feeds.map((f) => feedState.isPrimed(f.id)))).includes(
    false,
  );
  const nextRegular = new Date(nextSlot(group.key, group.intervalMs, now)).toISOString();
  const stamp = ctx.now.toISOString();

  try {
    // A feed seeing the URL for the first time needs the whole document, not a 304.
    const validators = unprimed ? {} : { etag: state.etag, lastModified: state.lastModified };
    // Feeds from the operator's config are trusted (a local RSSHub is common); guild feeds are not.
    const result = await observe.fetch(() =>
      ctx.fetcher.fetch({ url: group.url, trust: group.trust, ...validators }, ctx.signal),
    );
    const base: FetchState = {
      ...state,
      lastFetchAt: stamp,
      lastSuccessAt: stamp,
      failures: 0,
      nextFetchAt: nextRegular,
    };
    delete base.lastError;
    delete base.failingSince;
    if (result.kind === 'not-modified') {
      await feedState.saveFetchState(group.key, base);
      return { kind: 'not-modified', url: group.url, nextFetchAt: nextRegular };
    }
    const raw = await parseFeed(result.body, group.url);
    const feeds: FeedOutcome[] = [];
    for (const feed of group.feeds) feeds.push(await processFeed(feed, raw, ctx));
    await feedState.saveFetchState(group.key, {
      ...base,
      etag: result.etag,
      lastModified: result.lastModified,
    });
    return { kind: 'ok', url: group.url, feeds, nextFetchAt: nextRegular };
  } catch (err) {
    // Store errors and bugs are not the feed's fault: they stop the cycle loudly. A fetch cut by
    // shutdown is no failure of the feed either.
    if (!(err instanceof FeedError) || ctx.signal?.aborted) throw err;
    const failures = state.failures + 1;
    // Permanent errors (not a feed, 404) are not worth hammering: start them at the slow end.
    const effectiveFailures = err.details.kind === 'permanent' ? Math.max(failures, 4) : failures;
    const delay = backoffDelay(
      effectiveFailures,
      group.intervalMs,
      ctx.random,
      err.details.retryAfterMs,
    );
    const nextFetchAt = new Date(now + delay).toISOString();
    await feedState.saveFetchState(group.key, {
      ...state,
      lastFetchAt: stamp,
      failures,
      lastError: err.message,
      failingSince: state.failingSince ?? stamp,
      nextFetchAt,
    });
    return { kind: 'failed', url: group.url, error: err, failures, nextFetchAt };
  }
}
