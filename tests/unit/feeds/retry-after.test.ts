import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/feeds/retry-after';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 7 ', 7_000],
    ['Wed, 15 Jan 2025 12:02:00 GMT', 120_000],
    ['Wednesday, 15-Jan-25 12:00:30 GMT', 30_000],
    ['Wed Jan 15 12:00:05 2025', 5_000],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('treats a date in the past as no wait at all', () => {
    expect(parseRetryAfter('Wed, 15 Jan 2025 11:00:00 GMT', NOW)).toBe(0);
  });

  it.each([undefined, '', '-5', '1.5', 'soon', '12 monkeys', 'Wed, 99 Foo 2025'])(
    'ignores %j',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );
});
