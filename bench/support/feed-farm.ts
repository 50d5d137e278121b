/**
 * The parent's handle on the feed farm (feed-farm-server.ts), a child process so that serving
 * and compressing feeds does not count as the bot's CPU or memory.
 *
 * ```ts
 * const farm = await startFeedFarm({ seed: 7 });
 * const urls = farm.urls('p1000', 1000);   // spread over the farm's loopback hosts
 * await farm.prepare('p1000', 1000);       // render the next round's new documents ahead
 * ```
 */
import { join } from 'node:path';
import { forkTs, type Child } from './child';
import { CHANGE_EVERY } from './farm-rules';

export interface FeedFarm {
  /** How many loopback host names the feeds are spread over (1 where only 127.0.0.1 exists). */
  readonly hosts: number;
  /** The URLs of feeds 0…count-1 of a set; sets are independent (own rounds, own items). */
  urls(set: string, count: number): string[];
  /** Renders the documents that change at the set's next round, before the round is timed. */
  prepare(set: string, count: number): Promise<void>;
  stats(set: string): Promise<{ requests: number; ok: number; notModified: number }>;
  close(): Promise<void>;
}

export interface FeedFarmOptions {
  seed: number;
  /**
   * Loopback host names to spread feeds over: with all feeds on one host the fetcher's per-host
   * cap (2 at a time), not the bot, would set the pace. @default 16
   */
  hosts?: number;
  /** One feed in this many has new items at each round. @default 10 */
  changeEvery?: number;
}

export async function startFeedFarm(options: FeedFarmOptions): Promise<FeedFarm> {
  const child: Child = forkTs(join(import.meta.dirname, 'feed-farm-server.ts'), {
    FARM_SEED: String(options.seed),
    FARM_HOSTS: String(options.hosts ?? 16),
    FARM_CHANGE_EVERY: String(options.changeEvery ?? CHANGE_EVERY),
  });
  const origins = await child.request<string[]>({ type: 'origins' });
  return {
    hosts: origins.length,
    urls: (set, count) =>
      Array.from({ length: count }, (_, n) => `${origins[n % origins.length]}/${set}/${n}.xml`),
    prepare: async (set, count) => void (await child.request({ type: 'prepare', set, count })),
    stats: (set) => child.request({ type: 'stats', set }),
    close: () => child.stop(),
  };
}
