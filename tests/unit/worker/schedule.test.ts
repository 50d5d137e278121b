import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  isDue,
  MAX_BACKOFF_MS,
  nextSlot,
  slotOffset,
} from '../../../src/worker/schedule';

const MIN = 60_000;
const URL = 'https://example.org/feed.xml';

describe('nextSlot', () => {
  it('is strictly after now and at most one interval away', () => {
    for (const now of [0, 1, 9 * MIN, 10 * MIN, 1_700_000_000_000, 1_700_000_123_456]) {
      const at = nextSlot(URL, 10 * MIN, now);
      expect(at).toBeGreaterThan(now);
      expect(at - now).toBeLessThanOrEqual(10 * MIN);
    }
  });

  it('keeps a feed at the same place in every interval, so polls are one interval apart', () => {
    const first = nextSlot(URL, 10 * MIN, 1_700_000_000_000);
    expect(nextSlot(URL, 10 * MIN, first)).toBe(first + 10 * MIN);
    expect((first - slotOffset(URL, 10 * MIN)) % (10 * MIN)).toBe(0);
  });

  it('spreads different feeds over the interval instead of bunching them', () => {
    const offsets = new Set(
      Array.from({ length: 50 }, (_, i) => slotOffset(`https://example.org/${i}.xml`, 10 * MIN)),
    );
    expect(offsets.size).toBeGreaterThan(45);
  });
});

describe('backoffDelay', () => {
  const middle = () => 0.5; // jitter factor 1.0

  it('doubles the interval with each consecutive failure', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 10 * MIN, middle))).toEqual([
      10 * MIN,
      20 * MIN,
      40 * MIN,
      80 * MIN,
    ]);
  });

  it('jitters by ±20 %', () => {
    expect(backoffDelay(1, 10 * MIN, () => 0)).toBe(8 * MIN);
    expect(backoffDelay(1, 10 * MIN, () => 1)).toBe(12 * MIN);
  });

  it('never waits longer than a day, however many failures and whatever Retry-After says', () => {
    expect(backoffDelay(60, 10 * MIN, () => 1)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelay(1, 10 * MIN, middle, 30 * MAX_BACKOFF_MS)).toBe(MAX_BACKOFF_MS);
  });

  it('never retries sooner than the server asked', () => {
    expect(backoffDelay(1, MIN, () => 0, 45 * MIN)).toBe(45 * MIN);
  });
});

describe('isDue', () => {
  it.each([
    ['a group never fetched', undefined, true],
    ['a group whose time has come', '2026-12-01T10:00:00.000Z', true],
    ['a group whose time is still ahead', '2026-12-01T10:00:00.001Z', false],
  ])('%s', (_what, nextFetchAt, due) => {
    expect(isDue(nextFetchAt, Date.parse('2026-12-01T10:00:00.000Z'))).toBe(due);
  });
});
