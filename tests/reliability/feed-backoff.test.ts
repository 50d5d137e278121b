/**
 * Backoff over time: a feed failing round after round waits twice as long each time (±20 %
 * jitter) up to a day, is polled normally again after its first success, and never changes the
 * schedule of the feed beside it — also in the long-running loop, which leaves a backing-off feed
 * alone while the good one keeps its slot.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BACKOFF_MS } from '../../src/worker/schedule';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { FeedPair, GOOD_TITLE, INTERVAL_MS } from '../support/reliability/feed-pair';
import { rss } from '../support/rss';

const NOW = Math.floor(Date.now() / 1000) * 1000;

let server: FeedServer;
let pair: FeedPair | undefined;
beforeAll(async () => (server = await startFeedServer({})));
afterAll(() => server.close());
afterEach(async () => {
  await pair?.dispose();
  pair = undefined;
});

describe('backoff', () => {
  it('doubles the wait after each failure up to a day, and the first success resets it', async () => {
    server.setRoute('/flaky.xml', { status: 503, body: 'down' });
    const p = (pair = await FeedPair.open(server, server.url('/flaky.xml'), '/good-a.xml', NOW));
    for (let failures = 1; failures <= 10; failures++) {
      const { titles } = await p.poll();
      expect(titles).toEqual(failures === 1 ? [GOOD_TITLE] : []);
      expect(await p.state(p.badUrl)).toMatchObject({
        failures,
        failingSince: new Date(NOW).toISOString(),
      });
      // 10m, 20m, 40m … 21h20m, then the day cap from the ninth failure on.
      const base = Math.min(MAX_BACKOFF_MS, INTERVAL_MS * 2 ** (failures - 1));
      const delay = await p.delayOf(p.badUrl);
      expect(delay).toBeGreaterThanOrEqual(0.8 * base);
      expect(delay).toBeLessThanOrEqual(Math.min(MAX_BACKOFF_MS, 1.2 * base));
      expect(await p.delayOf(p.goodUrl)).toBeLessThanOrEqual(INTERVAL_MS);
      expect((await p.state(p.goodUrl)).failures).toBe(0);
      p.advance(delay);
    }

    server.setRoute('/flaky.xml', {
      body: rss([{ title: 'Back again', guid: 'back', link: 'https://example.org/back' }]),
    });
    expect((await p.poll()).titles).toEqual(['Back again']);
    const state = await p.state(p.badUrl);
    expect(state).toMatchObject({ failures: 0, lastSuccessAt: new Date(p.now).toISOString() });
    expect(state.lastError).toBeUndefined();
    expect(state.failingSince).toBeUndefined();
    expect(await p.delayOf(p.badUrl)).toBeLessThanOrEqual(INTERVAL_MS);
  });

  it('the running loop polls the good feed on its slot and leaves the backing-off one alone', async () => {
    server.setRoute('/gone.xml', { status: 404 });
    const p = (pair = await FeedPair.open(server, server.url('/gone.xml'), '/good-b.xml', NOW));
    await p.poll();
    // The good feed's slot comes within an interval; the failing one waits at least 64 minutes.
    p.advance(INTERVAL_MS + 1);
    p.harness.outcomes.length = 0;
    const worker = p.harness.app!.worker;
    const polled = p.nextOutcome(p.goodUrl);
    worker.start();
    expect((await polled).kind).toBe('ok');
    await worker.stop();
    expect(server.requests('/gone.xml')).toHaveLength(1);
    expect(p.harness.outcomes.map((o) => [o.url, o.kind])).toEqual([[p.goodUrl, 'ok']]);
  });

  it('a failing operator feed with credentials in its URL never shows the password', async () => {
    server.setRoute('/private.xml', { status: 500, body: 'no' });
    const url = server.url('/private.xml').replace('://', '://reader:s3cretFeedPass@');
    const p = (pair = await FeedPair.open(server, url, '/good-c.xml', NOW));
    const { outcome } = await p.poll();
    expect(server.requests('/private.xml')[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('reader:s3cretFeedPass').toString('base64')}`,
    );
    const failed = outcome(url);
    expect(failed?.kind === 'failed' && failed.error.message).toBe(
      `Feed fetch failed (500 Internal Server Error): ${server.url('/private.xml')}`,
    );
    expect((await p.state(url)).lastError).not.toContain('s3cret');
    expect(p.logLines().some((l) => l.includes('feed unreachable'))).toBe(true);
    expect(p.logLines().join('\n')).not.toContain('s3cret');
  });
});
