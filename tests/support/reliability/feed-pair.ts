/**
 * One misbehaving feed beside one good feed, polled in the same round by the real app (console
 * mode, SQLite, small fetch limits), with the clock frozen so schedules can be checked exactly
 * and the CLI's own reporting wired in, so the log holds the lines an operator would read.
 *
 * ```ts
 * const pair = await FeedPair.open(server, server.url('/bad.xml'));
 * await pair.poll();
 * const state = await pair.state(pair.badUrl);
 * ```
 */
import { EventEmitter } from 'node:events';
import { reportOutcome, emptyTotals } from '../../../src/cli/report';
import type { FetchState } from '../../../src/store/feed-state';
import type { GroupOutcome } from '../../../src/worker/poll-group';
import { AppHarness } from '../app-harness';
import type { FeedServer } from '../feed-server';
import { rss } from '../rss';

export const INTERVAL_MS = 10 * 60_000;
export const GOOD_TITLE = 'The good feed keeps working';
/** The fetch limits of every pair: one second for anything slow, 100 KB of body. */
export const LIMITS = { FETCH_TIMEOUT_SECONDS: '1', FETCH_MAX_MB: '0.1' };

export class FeedPair {
  private readonly events = new EventEmitter();

  private constructor(
    readonly harness: AppHarness,
    readonly goodUrl: string,
    readonly badUrl: string,
    private readonly clock: { at: number },
  ) {}

  /** A pair whose bad feed (at `badUrl`, backfilling up to 5 items) has never been seen. */
  static async open(
    server: FeedServer,
    badUrl: string,
    goodPath: string,
    now: number,
  ): Promise<FeedPair> {
    server.setRoute(goodPath, {
      body: rss([
        { title: GOOD_TITLE, guid: `good-${goodPath}`, link: 'https://example.org/good' },
      ]),
    });
    const goodUrl = server.url(goodPath);
    const harness = await AppHarness.create([
      { id: 'good', url: goodUrl, interval: '10m', backfill: 1 },
      { id: 'bad', url: badUrl, interval: '10m', backfill: 5 },
    ]);
    const clock = { at: now };
    const totals = emptyTotals();
    let pair: FeedPair | undefined;
    await harness.open(
      {
        clock: () => new Date(clock.at),
        onOutcome: (outcome, group) => {
          harness.outcomes.push(outcome);
          reportOutcome(outcome, group, harness.logger, totals, clock.at);
          pair?.events.emit('outcome', outcome);
        },
      },
      LIMITS,
    );
    return (pair = new FeedPair(harness, goodUrl, badUrl, clock));
  }

  get now(): number {
    return this.clock.at;
  }

  advance(ms: number): void {
    this.clock.at += ms;
  }

  /** One round over both feeds; the titles briefed in it and each URL's outcome. */
  async poll(): Promise<{ titles: string[]; outcome: (url: string) => GroupOutcome | undefined }> {
    const printed = this.harness.briefings().length;
    this.harness.outcomes.length = 0;
    const outcomes = await this.harness.app!.worker.pollOnce();
    return {
      titles: this.harness
        .briefings()
        .slice(printed)
        .map((b) => b.item.title),
      outcome: (url) => outcomes.find((o) => o.url === url),
    };
  }

  /** The next outcome for a URL, e.g. from the running loop. */
  nextOutcome(url: string): Promise<GroupOutcome> {
    return new Promise((resolve) => {
      const listen = (outcome: GroupOutcome) => {
        if (outcome.url !== url) return;
        this.events.off('outcome', listen);
        resolve(outcome);
      };
      this.events.on('outcome', listen);
    });
  }

  state(url: string): Promise<FetchState> {
    return this.harness.app!.stores.feedState.fetchState(url);
  }

  /** Milliseconds from the frozen now to the feed's next fetch. */
  async delayOf(url: string): Promise<number> {
    return Date.parse((await this.state(url)).nextFetchAt!) - this.now;
  }

  logLines(): string[] {
    return this.harness.logger.lines;
  }

  dispose(): Promise<void> {
    return this.harness.dispose();
  }
}
