import { describe, expect, it } from 'vitest';
import { afterAttempt } from '../../../src/discord/crosspost-queue';
import { surfacePaused } from '../../../src/discord/surface-pause';
import {
  CROSSPOST_WINDOW_MS,
  type CrosspostLane,
  laneStatus,
  resumedLane,
} from '../../../src/store/crosspost-lanes';

const T = Date.parse('2026-03-02T08:00:00Z');
const MIN = 60_000;
/** Ten crossposts, one a minute, the first `ago` ms before T. */
const tenSent = (ago: number) => Array.from({ length: 10 }, (_, i) => T - ago + i * MIN);

describe('what a crosspost lane says', () => {
  it.each<[string, CrosspostLane, ReturnType<typeof laneStatus>]>([
    ['nothing waits', { waiting: [], sent: tenSent(30 * MIN) }, { queued: 0 }],
    ['waiting with room in the hour', { waiting: ['m1'], sent: [T - MIN] }, { queued: 1 }],
    [
      'waiting behind a full hour: the next goes when the oldest of the ten is an hour old',
      { waiting: ['m1', 'm2'], sent: tenSent(30 * MIN) },
      { queued: 2, nextAt: new Date(T - 30 * MIN + CROSSPOST_WINDOW_MS) },
    ],
    [
      'crossposts older than an hour do not count',
      { waiting: ['m1'], sent: tenSent(CROSSPOST_WINDOW_MS + MIN) },
      { queued: 1 },
    ],
    [
      "Discord's own wait is later than the window",
      { waiting: ['m1'], sent: [T - MIN], notBefore: T + 5 * MIN },
      { queued: 1, nextAt: new Date(T + 5 * MIN) },
    ],
    [
      'a pause is shown with what waits',
      {
        waiting: ['m1'],
        sent: [],
        notBefore: T + 60 * MIN,
        paused: { reason: 'no permission', since: new Date(T).toISOString() },
      },
      {
        queued: 1,
        nextAt: new Date(T + 60 * MIN),
        paused: { reason: 'no permission', since: new Date(T).toISOString() },
      },
    ],
  ])('%s', (_, lane, expected) => {
    expect(laneStatus(lane, T)).toEqual(expected);
  });
});

describe('a lane after one publish attempt', () => {
  const lane: CrosspostLane = {
    waiting: ['m1', 'm2'],
    sent: [T - MIN],
    notBefore: T - 1,
    paused: { reason: 'old refusal', since: new Date(T - 2 * CROSSPOST_WINDOW_MS).toISOString() },
  };

  it('a published message leaves the queue, counts in the hour, and clears the wait and the pause', () => {
    expect(afterAttempt(lane, 'm1', { kind: 'published' }, T)).toEqual({
      waiting: ['m2'],
      sent: [T - MIN, T],
    });
  });

  it('a deleted message leaves the queue without counting', () => {
    expect(afterAttempt(lane, 'm1', { kind: 'gone' }, T)).toEqual({
      waiting: ['m2'],
      sent: [T - MIN],
    });
  });

  it('a wait keeps every message and records until when, and a refusal why', () => {
    const paused = surfacePaused('crosspost', '310000000000000012', 'Discord refused');
    expect(afterAttempt(lane, 'm1', { kind: 'wait', untilMs: T + MIN, paused }, T)).toEqual({
      ...lane,
      notBefore: T + MIN,
      paused: { reason: paused.reason, since: new Date(T).toISOString() },
    });
  });

  it('resubscribing lifts a pause but not a 429 wait', () => {
    const { paused: _p, notBefore: _n, ...unpaused } = lane;
    expect(resumedLane(lane)).toEqual(unpaused);
    const rateLimited = { ...unpaused, notBefore: T + MIN };
    expect(resumedLane(rateLimited)).toBe(rateLimited);
  });
});
