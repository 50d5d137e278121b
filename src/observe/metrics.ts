/**
 * What the bot counts about itself, served as Prometheus text at `GET /metrics`, and the names it
 * is counted under. The metrics describe this process (like prom-client's own default registry),
 * so they are one per process: the stages record with one call each (`observe.fetched(…)`)
 * without the worker threading a recorder through every function. Every series carries the
 * process's role (`all`, `worker` or `bot`: `start --role`) and an id of the
 * process (host:pid), so a deployment of several processes can be told apart.
 */
import { hostname } from 'node:os';
// From their own files: prom-client's index also loads its default process metrics and with them
// @opentelemetry/api, a hundred modules (about 2 MB) this process never uses.
import Counter from 'prom-client/lib/counter.js';
import Gauge from 'prom-client/lib/gauge.js';
import Histogram from 'prom-client/lib/histogram.js';
import Registry from 'prom-client/lib/registry.js';
import { FeedError } from '../errors';

export const registry = new Registry();
const PROCESS = `${hostname()}:${process.pid}`;
registry.setDefaultLabels({ role: 'all', process: PROCESS });

/** Labels every series with the process's role (`start --role`); `all` until told otherwise. */
export function labelRole(role: string): void {
  registry.setDefaultLabels({ role, process: PROCESS });
}

const feedPolls = new Counter({
  name: 'briefing_feed_polls_total',
  help: 'Feed URLs fetched, by result (ok, not_modified, failed)',
  labelNames: ['result'] as const,
  registers: [registry],
});
const feedFailures = new Counter({
  name: 'briefing_feed_failures_total',
  help: 'Feed polls that failed, by reason (http_<status>, timeout, not_a_feed, refused, too_large, network, other)',
  labelNames: ['reason'] as const,
  registers: [registry],
});
const newItems = new Counter({
  name: 'briefing_items_new_total',
  help: 'Items seen for the first time (archived; delivered unless their feed was priming)',
  registers: [registry],
});
const queued = new Counter({
  name: 'briefing_deliveries_queued_total',
  help: 'Deliveries written to the outbox (one per target and item)',
  registers: [registry],
});
const briefings = new Counter({
  name: 'briefing_briefings_total',
  help: 'Deliveries handled by the sender, by outcome (posted, held: the channel refused us, retried, dropped)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
const outboxDepth = new Gauge({
  name: 'briefing_outbox_depth',
  help: 'Deliveries left in the outbox after the last drain (waiting for a digest time, a retry or a paused channel)',
  registers: [registry],
});
const pollSeconds = new Histogram({
  name: 'briefing_poll_duration_seconds',
  help: "One feed URL's poll, fetch to stored deliveries",
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});
const fetchSeconds = new Histogram({
  name: 'briefing_fetch_duration_seconds',
  help: 'HTTP fetch of a feed URL, by result',
  labelNames: ['result'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});
const storeSeconds = new Histogram({
  name: 'briefing_store_duration_seconds',
  help: 'Store calls (one call may read or write many keys), by operation and result',
  labelNames: ['op', 'result'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
  registers: [registry],
});
const discord429 = new Counter({
  name: 'briefing_discord_rate_limited_total',
  help: 'Discord answers of 429 Too Many Requests (discord.js waits them out and retries)',
  labelNames: ['scope'] as const,
  registers: [registry],
});
const lastRound = new Gauge({
  name: 'briefing_last_round_timestamp_seconds',
  help: 'When the poll loop last looked for due feeds (it does at least every few seconds while it runs)',
  registers: [registry],
});

let lastRoundMs: number | undefined;

/** When the poll loop last looked for due feeds (by the app's clock), if it has yet. */
export const lastRoundAt = () => (lastRoundMs === undefined ? undefined : new Date(lastRoundMs));

/** A failure's reason as a label: a small, fixed set, never the URL or the message itself. */
export function failureReason(err: unknown): string {
  if (!(err instanceof FeedError)) return 'other';
  if (err.details.status !== undefined) return `http_${err.details.status}`;
  const m = err.message;
  if (m.startsWith('not a feed')) return 'not_a_feed';
  if (m.startsWith('Feed URL refused') || m.includes('(invalid URL)')) return 'refused';
  if (/\(timed out /.test(m)) return 'timeout';
  if (/\((body|file) larger than /.test(m)) return 'too_large';
  return err.details.kind === 'permanent' ? 'other' : 'network';
}

/** What of discord.js's REST client the 429 count needs (so this module does not load discord.js). */
interface DiscordRest {
  on(
    event: 'response',
    listener: (
      request: unknown,
      response: { status: number; headers: { get(name: string): string | null } },
    ) => void,
  ): unknown;
}

const seconds = (startedMs: number) => (performance.now() - startedMs) / 1000;

/** Runs `work`, and records how long it took under the label `result(outcome or error)` gives. */
async function timed<T>(
  record: (result: string, s: number) => void,
  result: (outcome: { value: T } | { error: unknown }) => string,
  work: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    const value = await work();
    record(result({ value }), seconds(started));
    return value;
  } catch (error) {
    record(result({ error }), seconds(started));
    throw error;
  }
}

/** The one-call recorders the stages use. */
export const observe = {
  /** The poll loop is alive and looking for due feeds. */
  round(now: Date): void {
    lastRoundMs = now.getTime();
    lastRound.set(lastRoundMs / 1000);
  },
  /**
   * Times one feed URL's poll and counts its result, and a failure's reason. A poll that throws
   * (the store failed: the feed is not to blame) is timed but not counted as polled.
   */
  poll<T extends { kind: string; error?: unknown }>(work: () => Promise<T>): Promise<T> {
    return timed(
      (result, s) => {
        pollSeconds.observe(s);
        if (result !== 'error') feedPolls.inc({ result });
      },
      (o) => {
        if (!('value' in o)) return 'error';
        if (o.value.kind === 'failed') feedFailures.inc({ reason: failureReason(o.value.error) });
        return o.value.kind.replace('-', '_');
      },
      work,
    );
  },
  /** Times one HTTP fetch. */
  fetch<T extends { kind: string }>(work: () => Promise<T>): Promise<T> {
    return timed(
      (result, s) => fetchSeconds.observe({ result }, s),
      (o) => ('value' in o ? o.value.kind.replace('-', '_') : failureReason(o.error)),
      work,
    );
  },
  /** Times one store call. */
  store<T>(op: string, work: () => Promise<T>): Promise<T> {
    return timed(
      (result, s) => storeSeconds.observe({ op, result }, s),
      (o) => ('value' in o ? 'ok' : 'error'),
      work,
    );
  },
  feedProcessed(outcome: { fresh: number; delivered: number }): void {
    newItems.inc(outcome.fresh);
    queued.inc(outcome.delivered);
  },
  drained(
    report: { sent: number; paused: number; retried: number; dropped: number },
    pendingBefore: number,
  ): void {
    briefings.inc({ outcome: 'posted' }, report.sent);
    briefings.inc({ outcome: 'held' }, report.paused);
    briefings.inc({ outcome: 'retried' }, report.retried);
    briefings.inc({ outcome: 'dropped' }, report.dropped);
    outboxDepth.set(pendingBefore - report.sent - report.dropped);
  },
  /** Counts the 429s among Discord's answers to this REST client (discord.js's `response` event). */
  discordResponses(rest: DiscordRest): void {
    rest.on('response', (_request, response) => {
      if (response.status !== 429) return;
      const global = response.headers.get('x-ratelimit-global') === 'true';
      discord429.inc({ scope: global ? 'global' : 'route' });
    });
  },
};

/** The metric names, for tests and dashboards. */
export const METRIC_NAMES = [
  feedPolls,
  feedFailures,
  newItems,
  queued,
  briefings,
  outboxDepth,
  pollSeconds,
  fetchSeconds,
  storeSeconds,
  discord429,
  lastRound,
].map((m) => (m as unknown as { name: string }).name);
