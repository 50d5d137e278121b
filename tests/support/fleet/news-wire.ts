/**
 * A wire of news feeds in a process of its own (news-wire-server.ts): `feeds` feeds on test feed
 * servers spread over `hosts` loopback addresses, each feed with one old item, and — between start() and stop() — a new item on a random
 * feed every `everyMs`. Each item has a serial id found in its title (`Feed 12 report 345`), so a
 * test counts deliveries per item. The server keeps when every feed was polled.
 *
 * ```ts
 * const wire = await startNewsWire(300, 30);
 * await wire.start({ everyMs: 100, seed: 7 });
 * const published = await wire.stop();   // what appeared, on which feed, when
 * const polls = await wire.polls();      // polls[feed] = arrival times
 * ```
 */
import { fileURLToPath } from 'node:url';
import { forkTs } from '../../../bench/support/child';

export interface Published {
  id: number;
  feed: number;
  /** When it appeared on its feed (epoch ms). */
  at: number;
}

export type WireRequest =
  | { type: 'init'; feeds: number; hosts: number }
  | { type: 'start'; everyMs: number; seed: number }
  | { type: 'stop' }
  | { type: 'polls' };

export interface NewsWire {
  /** Feed URLs; feed n is `urls[n]`. */
  readonly urls: string[];
  start(options: { everyMs: number; seed: number }): Promise<void>;
  /** Stops publishing; resolves with everything published since start(), oldest first. */
  stop(): Promise<Published[]>;
  /** For each feed, when each of its polls arrived. */
  polls(): Promise<number[][]>;
  close(): Promise<void>;
}

/** The serial id in a title the wire wrote, or undefined for any other title. */
export function wireId(title: string | undefined): number | undefined {
  const m = /^Feed \d+ report (\d+)$/.exec(title ?? '');
  return m ? Number(m[1]) : undefined;
}

export async function startNewsWire(feeds: number, hosts = 1): Promise<NewsWire> {
  const child = forkTs(fileURLToPath(new URL('./news-wire-server.ts', import.meta.url)));
  const ask = <T>(request: WireRequest) => child.request<T>(request);
  const urls = await ask<string[]>({ type: 'init', feeds, hosts });
  return {
    urls,
    start: async (options) => void (await ask({ type: 'start', ...options })),
    stop: () => ask<Published[]>({ type: 'stop' }),
    polls: () => ask<number[][]>({ type: 'polls' }),
    close: () => child.stop(),
  };
}
