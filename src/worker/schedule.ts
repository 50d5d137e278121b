import { createHash } from 'node:crypto';
import type { PolledFeed, Trust } from '../domain/feed';
import { groupKey } from '../store/feed-state';

/** Backoff never waits longer than a day: a feed that comes back is picked up within one. */
export const MAX_BACKOFF_MS = 24 * 3_600_000;

/**
 * Feeds that share a URL and a trust level are fetched once, at the shortest of their intervals.
 * The trust level is part of the group, so a guild's feed never makes an operator's feed
 * untrusted, nor borrows its trust.
 */
export interface FetchGroup {
  /** The URL, prefixed for untrusted groups: names the group's schedule and fetch state. */
  key: string;
  url: string;
  trust: Trust;
  feeds: PolledFeed[];
  intervalMs: number;
}

export function groupByUrl(feeds: PolledFeed[]): FetchGroup[] {
  const groups = new Map<string, FetchGroup>();
  for (const feed of feeds) {
    const { trust } = feed;
    const key = groupKey(feed.url, trust);
    const group = groups.get(key);
    if (group) {
      group.feeds.push(feed);
      group.intervalMs = Math.min(group.intervalMs, feed.interval);
    } else {
      groups.set(key, { key, url: feed.url, trust, feeds: [feed], intervalMs: feed.interval });
    }
  }
  return [...groups.values()];
}

/** A stable position inside the interval, from the URL, so feeds spread over it instead of bunching. */
export function slotOffset(url: string, intervalMs: number): number {
  const n = createHash('sha256').update(url).digest().readUInt32BE(0);
  return n % intervalMs;
}

/** The first slot time strictly after `now`. */
export function nextSlot(url: string, intervalMs: number, now: number): number {
  const offset = slotOffset(url, intervalMs);
  const cycles = Math.floor((now - offset) / intervalMs) + 1;
  return cycles * intervalMs + offset;
}

/**
 * Delay after the n-th consecutive failure: the interval doubled per failure, ±20 % jitter so
 * feeds that failed together do not retry together, capped at a day, never sooner than the
 * server asked (Retry-After).
 */
export function backoffDelay(
  failures: number,
  intervalMs: number,
  random: () => number,
  retryAfterMs = 0,
): number {
  const base = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.max(0, failures - 1));
  const jittered = Math.min(MAX_BACKOFF_MS, base * (0.8 + 0.4 * random()));
  return Math.round(Math.max(jittered, Math.min(retryAfterMs, MAX_BACKOFF_MS)));
}

/** Whether a group is due: never fetched, or its next fetch time has come. */
export function isDue(nextFetchAt: string | undefined, now: number): boolean {
  return nextFetchAt === undefined || Date.parse(nextFetchAt) <= now;
}
