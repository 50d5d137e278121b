import { StoreError } from '../errors';
import type { Fetcher } from '../feeds/fetch';
import type { Limiter } from '../feeds/fetch-limits';
import type { Logger } from '../log';
import type { Router } from '../domain/delivery';
import { pollGroup, type GroupOutcome } from './poll-group';
import type { PageImages } from './page-images';
import type { FeedStores, ProcessContext } from './process-feed';
import type { FetchGroup } from './schedule';

export interface GroupRunDeps {
  match: ProcessContext['match'];
  route: Router;
  stores: FeedStores;
  fetcher: Fetcher;
  logger: Logger;
  clock: () => Date;
  random: () => number;
  deliverWindowMs: number;
  /** OG_IMAGE: pictures from article pages (absent: off). */
  pageImages?: PageImages;
  /** Bounds the feeds processed at once, fetch to archive. */
  slots: Limiter;
  /** Aborted by stop(): waiting for a slot ends, and fetches still on the network are cut. */
  signal: AbortSignal;
}

/**
 * What became of one group's run: polled (with its outcome), failed for a reason that is not the
 * feed's (the store, or a bug: retried at the next regular time), or not run (stopped meanwhile).
 */
export type GroupRun =
  | { kind: 'polled'; outcome: GroupOutcome }
  | { kind: 'store-failed'; error: StoreError }
  | { kind: 'pipeline-failed'; retryAt: string }
  | { kind: 'stopped' };

/** Polls one group within the concurrency bound, and says what the scheduler should do next. */
export async function runGroup(group: FetchGroup, deps: GroupRunDeps): Promise<GroupRun> {
  let release: () => void;
  try {
    release = await deps.slots.acquire('poll', deps.signal);
  } catch {
    return { kind: 'stopped' };
  }
  const now = deps.clock();
  try {
    const outcome = await pollGroup(group, {
      stores: deps.stores,
      fetcher: deps.fetcher,
      match: deps.match,
      route: deps.route,
      now,
      deliverAfter: new Date(now.getTime() - deps.deliverWindowMs),
      random: deps.random,
      signal: deps.signal,
      logger: deps.logger,
      pageImages: deps.pageImages,
    });
    return { kind: 'polled', outcome };
  } catch (err) {
    if (deps.signal.aborted) return { kind: 'stopped' };
    if (err instanceof StoreError) return { kind: 'store-failed', error: err };
    deps.logger.error('feed pipeline failed', { feedUrl: group.url, error: err });
    return {
      kind: 'pipeline-failed',
      retryAt: new Date(now.getTime() + group.intervalMs).toISOString(),
    };
  } finally {
    release();
  }
}
