/**
 * The health and metrics listener of the real app: feeds polled from the local feed server, then
 * `GET /metrics` read as Prometheus text and `GET /healthz` asked while the store answers, while
 * the poll loop has gone quiet, and while the store (a private Redis) is down.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app';
import { METRIC_NAMES } from '../../../src/observe/metrics';
import { AppHarness } from '../../support/app-harness';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { parsePrometheusText, type Exposition } from '../../support/prometheus-text';
import { startPrivateRedis, type PrivateRedis } from '../../support/reliability/private-redis';
import { entries, rss } from '../../support/rss';

const NOW = Date.parse('2026-11-28T13:00:00Z');
const FRESH = {
  title: 'A new story after the first poll',
  guid: 'fresh',
  link: 'https://example.org/fresh',
  pubDate: new Date(NOW - 60_000).toUTCString(),
};

let server: FeedServer;
let harness: AppHarness | undefined;
let redis: PrivateRedis | undefined;
let dir: string | undefined;
beforeAll(async () => (server = await startFeedServer({})));
afterAll(() => server.close());
afterEach(async () => {
  await harness?.dispose();
  await redis?.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
  harness = redis = dir = undefined;
});

async function get(
  app: App,
  path: string,
): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`${app.http!.url}${path}`);
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: await res.text(),
  };
}

async function metrics(app: App): Promise<Exposition> {
  const res = await get(app, '/metrics');
  expect(res.status).toBe(200);
  expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(res.body);
}

describe('GET /metrics', () => {
  it('counts polls by result, failures by reason, new items, briefings posted, and times fetches and the store', async () => {
    server.setRoute('/metrics-news.xml', { body: rss(entries(2)) });
    server.setRoute('/metrics-gone.xml', { status: 404, body: 'gone' });
    harness = await AppHarness.create([
      { id: 'news', url: server.url('/metrics-news.xml') },
      { id: 'gone', url: server.url('/metrics-gone.xml') },
    ]);
    let at = NOW;
    const app = await harness.open({ clock: () => new Date(at) }, { HTTP_PORT: '0' });
    expect(app.http!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const before = await metrics(app);

    await app.worker.pollOnce(); // the first sight of the feed: archived, not delivered
    server.setRoute('/metrics-news.xml', { body: rss([FRESH, ...entries(2)]) });
    at += 600_000;
    await app.worker.pollOnce();
    expect(harness.briefings().map((b) => b.item.title)).toEqual([FRESH.title]);

    const after = await metrics(app);
    const moved = (name: string, labels?: Record<string, string>) =>
      after.sum(name, labels) - before.sum(name, labels);
    expect(moved('briefing_feed_polls_total', { result: 'ok' })).toBe(2);
    expect(moved('briefing_feed_polls_total', { result: 'failed' })).toBe(2);
    expect(moved('briefing_feed_failures_total', { reason: 'http_404' })).toBe(2);
    expect(moved('briefing_items_new_total')).toBe(3);
    expect(moved('briefing_deliveries_queued_total')).toBe(1);
    expect(moved('briefing_briefings_total', { outcome: 'posted' })).toBe(1);
    expect(after.sum('briefing_outbox_depth')).toBe(0);
    expect(moved('briefing_poll_duration_seconds_count')).toBe(4);
    expect(moved('briefing_fetch_duration_seconds_count', { result: 'ok' })).toBe(2);
    expect(moved('briefing_fetch_duration_seconds_count', { result: 'http_404' })).toBe(2);
    expect(
      moved('briefing_store_duration_seconds_count', { op: 'write', result: 'ok' }),
    ).toBeGreaterThan(0);
    expect(
      moved('briefing_store_duration_seconds_count', { op: 'read', result: 'ok' }),
    ).toBeGreaterThan(0);
    expect(after.sum('briefing_last_round_timestamp_seconds')).toBe(at / 1000);

    // Every metric is exposed with its type, and every series names the role and the process.
    for (const name of METRIC_NAMES) expect(after.types.has(name), name).toBe(true);
    expect(after.types.get('briefing_fetch_duration_seconds')).toBe('histogram');
    expect(after.types.get('briefing_feed_polls_total')).toBe('counter');
    for (const s of after.samples) {
      expect(s.labels.role).toBe('all');
      expect(s.labels.process).toMatch(new RegExp(`:${process.pid}$`));
    }
  });

  it('answers other paths with 404 and other methods with 405, and is off without HTTP_PORT', async () => {
    harness = await AppHarness.create([]);
    const app = await harness.open({}, { HTTP_PORT: '0' });
    expect((await get(app, '/')).status).toBe(404);
    expect((await fetch(`${app.http!.url}/metrics`, { method: 'POST' })).status).toBe(405);
    await harness.close();
    expect((await harness.open()).http).toBeUndefined();
  });
});

describe('GET /healthz', () => {
  it('is 200 while the store answers and the loop polls, and 503 with the reason when the loop goes quiet or the store goes away', async () => {
    dir = await mkdtemp(join(tmpdir(), 'briefing-health-'));
    redis = await startPrivateRedis(dir);
    server.setRoute('/health-news.xml', { body: rss(entries(1)) });
    harness = await AppHarness.create([{ id: 'news', url: server.url('/health-news.xml') }]);
    let at = NOW;
    const app = await harness.open(
      { clock: () => new Date(at) },
      { HTTP_PORT: '0', STORE_URL: redis.url },
    );
    await app.worker.pollOnce();

    const ok = await get(app, '/healthz');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({
      ok: true,
      reasons: [],
      state: 'active',
      store: 'redis: answers',
      lastRoundAt: new Date(NOW).toISOString(),
    });

    at += 121_000;
    const quiet = await get(app, '/healthz');
    expect(quiet.status).toBe(503);
    expect(JSON.parse(quiet.body).reasons).toEqual(['last poll round 121 s ago (more than 120 s)']);

    await app.worker.pollOnce();
    expect((await get(app, '/healthz')).status).toBe(200);
    await redis.kill();
    const down = await get(app, '/healthz');
    expect(down.status).toBe(503);
    const report = JSON.parse(down.body);
    expect(report.ok).toBe(false);
    expect(report.reasons).toHaveLength(1);
    expect(report.reasons[0]).toMatch(
      /^store unavailable: Store read failed \(redis:\/\/127\.0\.0\.1:\d+\): /,
    );
  });
});
