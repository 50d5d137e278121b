import { describe, expect, it } from 'vitest';
import { nextDigestAt } from '../../../src/services/digest-time';

describe('the next digest time', () => {
  it.each([
    { now: '2026-11-28T06:00:00Z', at: '08:00', next: '2026-11-28T08:00:00.000Z' },
    { now: '2026-11-28T08:00:00Z', at: '08:00', next: '2026-11-29T08:00:00.000Z' },
    { now: '2026-11-28T23:59:30Z', at: '00:00', next: '2026-11-29T00:00:00.000Z' },
    { now: '2026-12-31T20:15:00Z', at: '18:30', next: '2027-01-01T18:30:00.000Z' },
    { now: '2026-11-28T18:29:59.999Z', at: '18:30', next: '2026-11-28T18:30:00.000Z' },
  ])('after $now, $at UTC is $next', ({ now, at, next }) => {
    expect(nextDigestAt(new Date(now), at).toISOString()).toBe(next);
  });

  it.each(['8:00', '24:00', '12:60', 'noon'])('refuses %j', (at) => {
    expect(() => nextDigestAt(new Date(), at)).toThrow(RangeError);
  });
});
