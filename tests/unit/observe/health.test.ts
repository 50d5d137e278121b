import { describe, expect, it } from 'vitest';
import { FeedError, StoreError } from '../../../src/errors';
import { bodyTimeoutReason, fetchFailed, statusError } from '../../../src/feeds/fetch-errors';
import { checkHealth } from '../../../src/observe/health';
import { failureReason } from '../../../src/observe/metrics';
import type { KV } from '../../../src/store/kv';

const NOW = new Date('2026-11-28T13:00:00Z');
const url = 'https://example.org/feed.xml';

/** A store boundary that answers, or fails as the real KV does (a StoreError). */
const kvThat = (fails?: string) =>
  ({
    backend: 'postgres',
    get: async () => {
      if (fails) throw new StoreError(fails);
      return undefined;
    },
  }) as unknown as KV;

describe('checkHealth', () => {
  it.each([
    [
      'healthy: the store answers, a round 10 s ago, the gateway ready',
      undefined,
      10_000,
      true,
      [],
    ],
    ['no round yet', undefined, undefined, true, ['no poll round yet']],
    [
      'a quiet loop and a lost gateway, both named',
      undefined,
      300_000,
      false,
      ['last poll round 300 s ago (more than 120 s)', 'Discord gateway not connected'],
    ],
    [
      'a store that fails',
      'Store read failed (postgres://u:***@db/x): connection refused',
      0,
      true,
      ['store unavailable: Store read failed (postgres://u:***@db/x): connection refused'],
    ],
  ] as const)('%s', async (_name, fails, agoMs, ready, reasons) => {
    const report = await checkHealth({
      kv: kvThat(fails),
      clock: () => NOW,
      lastRoundAt: () => (agoMs === undefined ? undefined : new Date(NOW.getTime() - agoMs)),
      gatewayReady: () => ready,
    });
    expect(report.reasons).toEqual(reasons);
    expect(report.ok).toBe(reasons.length === 0);
    expect(report.gateway).toBe(ready ? 'connected' : 'disconnected');
  });

  it('console mode has no gateway to check', async () => {
    const report = await checkHealth({ kv: kvThat(), clock: () => NOW, lastRoundAt: () => NOW });
    expect(report).toEqual({
      ok: true,
      reasons: [],
      state: 'active',
      store: 'postgres: answers',
      lastRoundAt: NOW.toISOString(),
    });
  });

  it('a hot standby is healthy while the store answers: it neither polls nor holds the gateway yet', async () => {
    const waiting = await checkHealth({
      kv: kvThat(),
      clock: () => NOW,
      lastRoundAt: () => undefined,
      gatewayReady: () => false,
      standby: () => true,
    });
    expect(waiting).toEqual({
      ok: true,
      reasons: [],
      state: 'standby',
      store: 'postgres: answers',
    });
    const storeDown = await checkHealth({
      kv: kvThat('connection refused'),
      clock: () => NOW,
      lastRoundAt: () => undefined,
      standby: () => true,
    });
    expect(storeDown).toMatchObject({
      ok: false,
      state: 'standby',
      reasons: ['store unavailable: connection refused'],
    });
  });

  it('once the standby holds the lease, the active checks apply again', async () => {
    const report = await checkHealth({
      kv: kvThat(),
      clock: () => NOW,
      lastRoundAt: () => undefined,
      gatewayReady: () => false,
      standby: () => false,
    });
    expect(report).toMatchObject({
      ok: false,
      state: 'active',
      reasons: ['no poll round yet', 'Discord gateway not connected'],
    });
  });
});

describe('failureReason', () => {
  it.each([
    [statusError(404, url, undefined, 0), 'http_404'],
    [statusError(503, url, '120', 0), 'http_503'],
    [new FeedError('not a feed: an HTML page', url, { kind: 'permanent' }), 'not_a_feed'],
    [new FeedError(`Feed URL refused: ${url} resolves to a private address`, url), 'refused'],
    [fetchFailed('invalid URL', 'nonsense', { kind: 'permanent' }), 'refused'],
    [fetchFailed(bodyTimeoutReason(30_000), url, { kind: 'transient' }), 'timeout'],
    [fetchFailed('body larger than 10 MB', url, { kind: 'permanent' }), 'too_large'],
    [fetchFailed('connection refused', url, { kind: 'transient' }), 'network'],
    [fetchFailed('corrupt gzip body', url, { kind: 'permanent' }), 'other'],
    [new Error('a bug'), 'other'],
  ])('%s → %s', (err, reason) => {
    expect(failureReason(err)).toBe(reason);
  });
});
