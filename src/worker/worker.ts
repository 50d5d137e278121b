import { setMaxListeners } from 'node:events';
import { StoreError } from '../errors';
import { createLimiter } from '../feeds/fetch-limits';
import type { Fetcher } from '../feeds/fetch';
import type { Logger } from '../log';
import type { Item } from '../domain/item';
import type { Match } from '../domain/match';
import { pollGroup, type GroupOutcome } from './poll-group';
import type { FeedStores } from './process-feed';
import type { Router } from '../domain/delivery';
import { groupByUrl, isDue, type FetchGroup } from './schedule';
import type { PolledFeed } from '../domain/feed';

export interface WorkerDeps {
  /** The current catalogue; read at every tick, so a config reload takes effect at once. */
  feeds: () => PolledFeed[];
  match: (item: Item) => Match[];
  route: Router;
  stores: FeedStores;
  fetcher: Fetcher;
  /** Sends what the outbox holds; called after polls that queued deliveries and on a timer. */
  drain: () => Promise<void>;
  logger: Logger;
  /** @default () => new Date() */
  clock?: () => Date;
  /** @default Math.random */
  random?: () => number;
  /** Items older than this are archived, never delivered. */
  deliverWindowMs: number;
  /** Called with each group's outcome (the CLI prints its summary from these). */
  onOutcome?: (outcome: GroupOutcome, group: FetchGroup) => void;
  /** How long the loop sleeps at most, so new feeds and retries are noticed. @default 5_000 */
  tickMs?: number;
  /** How long polling pauses after the store failed. @default 15_000 */
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
  /** Polls every feed now, whatever its schedule, then drains the outbox. */
  pollOnce(): Promise<GroupOutcome[]>;
  /** Polls on schedule until stop(). */
  start(): void;
  /** Stops scheduling, waits for in-flight polls and the last drain. */
  stop(): Promise<void>;
}

export function createWorker(deps: WorkerDeps): Worker {
  const clock = deps.clock ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const tickMs = deps.tickMs ?? 5_000;
  const storePauseMs = deps.storePauseMs ?? 15_000;
  const abort = new AbortController();
  // Every in-flight fetch listens on this one signal; hundreds of feeds are normal, not a leak.
  setMaxListeners(0, abort.signal);
  const nextAt = new Map<string, string | undefined>();
  const running = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let pausedUntil = 0;
  let draining: Promise<void> | undefined;
  let followUp: Promise<void> | undefined;
  let stopped = false;
  let prunedAt = 0;
  const slots = createLimiter(deps.pollConcurrency ?? 8, deps.pollConcurrency ?? 8);

  function drain(): Promise<void> {
    // One drain at a time. A request during a drain gets one more drain after it (shared by every
    // such request): the running one may have read the outbox before the caller's deliveries
    // were written, and they would otherwise wait for the next tick.
    if (draining) {
      followUp ??= draining.then(() => {
        followUp = undefined;
        return drain();
      });
      return followUp;
    }
    draining = deps
      .drain()
      .catch((err) => deps.logger.error('delivery failed', { error: err }))
      .finally(() => (draining = undefined));
    return draining;
  }

  async function runGroup(group: FetchGroup): Promise<GroupOutcome | undefined> {
    let release: (() => void) | undefined;
    try {
      release = await slots.acquire('poll', abort.signal);
    } catch {
      return undefined; // stopped while waiting for a slot
    }
    const now = clock();
    try {
      const outcome = await pollGroup(group, {
        stores: deps.stores,
        fetcher: deps.fetcher,
        match: deps.match,
        route: deps.route,
        now,
        deliverAfter: new Date(now.getTime() - deps.deliverWindowMs),
        random,
        signal: abort.signal,
      });
      nextAt.set(group.key, outcome.nextFetchAt);
      deps.onOutcome?.(outcome, group);
      // Sending is not this feed's work: polling goes on while the outbox drains.
      if (outcome.kind === 'ok' && outcome.feeds.some((f) => f.delivered > 0)) void drain();
      return outcome;
    } catch (err) {
      if (abort.signal.aborted) return undefined;
      if (err instanceof StoreError) {
        pausedUntil = Date.now() + storePauseMs;
        deps.logger.error('store unavailable: polling paused, nothing marked seen', {
          feedUrl: group.url,
          retryInSeconds: storePauseMs / 1000,
          error: err,
        });
      } else {
        deps.logger.error('feed pipeline failed', { feedUrl: group.url, error: err });
        nextAt.set(group.key, new Date(now.getTime() + group.intervalMs).toISOString());
      }
      return undefined;
    } finally {
      release();
    }
  }

  async function pruneIfDue() {
    if (!deps.prune || Date.now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = Date.now();
    const removed = await deps.prune(clock());
    if (removed.items > 0) deps.logger.info('archive retention: expired items removed', removed);
  }

  async function loadSchedule(groups: FetchGroup[]) {
    for (const g of groups) {
      if (!nextAt.has(g.key))
        nextAt.set(g.key, (await deps.stores.feedState.fetchState(g.key)).nextFetchAt);
    }
  }

  async function tick() {
    timer = undefined;
    if (stopped) return;
    try {
      if (Date.now() >= pausedUntil) {
        const groups = groupByUrl(deps.feeds());
        await loadSchedule(groups);
        const now = clock().getTime();
        for (const group of groups) {
          if (running.has(group.key) || !isDue(nextAt.get(group.key), now)) continue;
          const run = runGroup(group).then(() => void running.delete(group.key));
          running.set(group.key, run);
        }
        await drain();
        await pruneIfDue();
      }
    } catch (err) {
      pausedUntil = Date.now() + storePauseMs;
      deps.logger.error('scheduler paused', { error: err, retryInSeconds: storePauseMs / 1000 });
    }
    if (!stopped) timer = setTimeout(tick, tickMs);
  }

  return {
    async pollOnce() {
      const outcomes = await Promise.all(groupByUrl(deps.feeds()).map(runGroup));
      await drain();
      return outcomes.filter((o): o is GroupOutcome => o !== undefined);
    },
    start() {
      stopped = false;
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // In-flight polls finish their writes; only fetches still waiting on the network are cut.
      abort.abort();
      await Promise.allSettled(running.values());
      await (followUp ?? draining);
    },
  };
}
