import { setMaxListeners } from 'node:events';
import type { DrainReport } from '../delivery/drain';
import { StoreError } from '../errors';
import { createLimiter } from '../feeds/fetch-limits';
import type { Fetcher } from '../feeds/fetch';
import type { Logger } from '../log';
import type { GroupOutcome } from './poll-group';
import type { PageImages } from './page-images';
import type { FeedStores, ProcessContext } from './process-feed';
import type { FetchState } from '../store/feed-state';
import type { Router } from '../domain/delivery';
import { type GroupRunDeps, runGroup } from './run-group';
import { groupByUrl, isDue, type FetchGroup } from './schedule';
import { singleFlight } from './single-flight';
import { createStoreHealth } from './store-health';
import type { PolledFeed } from '../domain/feed';

export interface WorkerDeps {
  /** The current catalogue; read at every tick, so a config reload takes effect at once. */
  feeds: () => PolledFeed[];
  match: ProcessContext['match'];
  route: Router;
  stores: FeedStores;
  fetcher: Fetcher;
  /**
   * Sends what the outbox holds; called after polls that queued deliveries and on a timer. Absent
   * in a process that only polls (`start --role worker`): the sending bot drains what it queues.
   */
  drain?: () => Promise<DrainReport>;
  logger: Logger;
  /** @default () => new Date() */
  clock?: () => Date;
  /** @default Math.random */
  random?: () => number;
  /** Items older than this are archived, never delivered. */
  deliverWindowMs: number;
  /** OG_IMAGE: pictures from the article pages of items about to be posted (absent: off). */
  pageImages?: PageImages;
  /** Called with each group's outcome (the CLI prints its summary from these). */
  onOutcome?: (outcome: GroupOutcome, group: FetchGroup) => void;
  /** How long the loop sleeps at most, so new feeds and retries are noticed. @default 5_000 */
  tickMs?: number;
  /** How long work (polling and sending) pauses after the store failed. @default 15_000 */
  storePauseMs?: number;
  /**
   * Feeds processed at once, fetch to archive. Fetches are limited by the fetcher too, but a
   * fetched document waits for its parse and store writes; bounding the whole pipeline keeps
   * hundreds of documents from piling up in memory. @default 8
   */
  pollConcurrency?: number;
  /** Removes what retention expired; called about once an hour. */
  prune?: (now: Date) => Promise<{ days: number; items: number }>;
}

const PRUNE_EVERY_MS = 3_600_000;

export interface Worker {
  /**
   * Polls every feed now, whatever its schedule, then drains the outbox. Rejects with the first
   * StoreError when the store failed during the round (after everything else was done).
   */
  pollOnce(): Promise<GroupOutcome[]>;
  /**
   * Polls one group now, when the job engine says it is due (`start --role worker`): unless it is
   * not in the catalogue (any more), already running here, or backing off after failures (the
   * engine's schedule is the regular one; the backoff is in the group's fetch state).
   */
  pollGroup(key: string): Promise<GroupOutcome | undefined>;
  /** Polls on schedule until stop(). */
  start(): void;
  /** Stops scheduling, waits for in-flight polls and the last drain. */
  stop(): Promise<void>;
}

export function createWorker(deps: WorkerDeps): Worker {
  const clock = deps.clock ?? (() => new Date());
  const now = () => clock().getTime();
  const tickMs = deps.tickMs ?? 5_000;
  const storePauseMs = deps.storePauseMs ?? 15_000;
  const abort = new AbortController();
  // Every in-flight fetch listens on this one signal; hundreds of feeds are normal, not a leak.
  setMaxListeners(0, abort.signal);
  const concurrency = deps.pollConcurrency ?? 8;
  const groupDeps: GroupRunDeps = {
    ...deps,
    clock,
    random: deps.random ?? Math.random,
    slots: createLimiter(concurrency, concurrency),
    signal: abort.signal,
  };
  const health = createStoreHealth(deps.logger, storePauseMs);
  const send = deps.drain;
  const drain = singleFlight(async () => {
    if (!send) return;
    await send().then(
      (report) => {
        if (report.sent + report.retried + report.paused + report.dropped > 0) health.succeeded();
      },
      (err) => {
        if (err instanceof StoreError) health.failed(err, { during: 'delivery' });
        else deps.logger.error('delivery failed', { error: err });
      },
    );
  });

  // The schedule: when each group is next due, and which are running (the store's rest is in `health`).
  const nextAt = new Map<string, string | undefined>();
  const running = new Map<string, Promise<void>>();
  let prunedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function poll(group: FetchGroup): Promise<GroupOutcome | undefined> {
    const run = await runGroup(group, groupDeps);
    switch (run.kind) {
      case 'polled':
        health.succeeded();
        nextAt.set(group.key, run.outcome.nextFetchAt);
        deps.onOutcome?.(run.outcome, group);
        // Sending is not this feed's work: polling goes on while the outbox drains.
        if (run.outcome.kind === 'ok' && run.outcome.feeds.some((f) => f.delivered > 0))
          void drain.run();
        return run.outcome;
      case 'store-failed':
        health.failed(run.error, { feedUrl: group.url });
        return undefined;
      case 'pipeline-failed':
        nextAt.set(group.key, run.retryAt);
        return undefined;
      case 'stopped':
        return undefined;
    }
  }

  async function pruneIfDue() {
    if (!deps.prune || now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = now();
    const removed = await deps.prune(clock());
    if (removed.items > 0) deps.logger.info('archive retention: expired items removed', removed);
  }

  async function loadSchedule(groups: FetchGroup[]) {
    for (const g of groups) {
      if (!nextAt.has(g.key))
        nextAt.set(g.key, (await deps.stores.feedState.fetchState(g.key)).nextFetchAt);
    }
  }

  /** Starts every due group that is not running yet, then drains and prunes. */
  async function round() {
    const groups = groupByUrl(deps.feeds());
    await loadSchedule(groups);
    const at = now();
    for (const group of groups) {
      if (running.has(group.key) || !isDue(nextAt.get(group.key), at)) continue;
      running.set(
        group.key,
        poll(group).then(() => void running.delete(group.key)),
      );
    }
    await drain.run();
    await pruneIfDue();
  }

  async function tick() {
    timer = undefined;
    if (stopped) return;
    try {
      if (!health.resting) await round();
    } catch (err) {
      if (err instanceof StoreError) health.failed(err, { during: 'schedule' });
      else deps.logger.error('scheduler failed', { error: err, retryInSeconds: tickMs / 1000 });
    }
    if (!stopped) timer = setTimeout(tick, tickMs);
  }

  return {
    async pollOnce() {
      health.takeFailure();
      const outcomes = await Promise.all(groupByUrl(deps.feeds()).map(poll));
      await drain.run();
      const storeFailure = health.takeFailure();
      if (storeFailure) throw storeFailure;
      return outcomes.filter((o): o is GroupOutcome => o !== undefined);
    },
    async pollGroup(key) {
      const group = groupByUrl(deps.feeds()).find((g) => g.key === key);
      if (!group || running.has(key) || stopped) return undefined;
      let state: FetchState;
      try {
        state = await deps.stores.feedState.fetchState(key);
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
        health.failed(err, { feedUrl: group.url });
        return undefined;
      }
      if (state.failures > 0 && !isDue(state.nextFetchAt, now())) return undefined;
      const run = poll(group);
      running.set(
        key,
        run.then(() => void running.delete(key)),
      );
      return run;
    },
    start() {
      stopped = false;
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      health.stop();
      // In-flight polls finish their writes; only fetches still waiting on the network are cut.
      abort.abort();
      await Promise.allSettled(running.values());
      await drain.settled();
    },
  };
}
