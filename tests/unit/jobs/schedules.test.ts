import { describe, expect, it } from 'vitest';
import { planSchedules, pollSchedules, scheduleId } from '../../../src/jobs/schedules';
import type { FetchGroup } from '../../../src/worker/schedule';
import { slotOffset } from '../../../src/worker/schedule';

const MIN = 60_000;
const group = (url: string, intervalMs: number): FetchGroup => ({
  key: url,
  url,
  trust: 'trusted',
  feeds: [],
  intervalMs,
});

describe('pollSchedules', () => {
  it("runs each group every interval at the group's own slot, as the single process does", () => {
    const [s] = pollSchedules([group('https://example.org/a.xml', 10 * MIN)]);
    expect(s).toEqual({
      id: scheduleId('https://example.org/a.xml'),
      groupKey: 'https://example.org/a.xml',
      everyMs: 10 * MIN,
      offsetMs: slotOffset('https://example.org/a.xml', 10 * MIN),
    });
  });

  it('names a trusted and an untrusted group of one URL apart', () => {
    expect(scheduleId('https://example.org/a.xml')).not.toBe(
      scheduleId('untrusted https://example.org/a.xml'),
    );
  });
});

describe('planSchedules', () => {
  const wanted = pollSchedules([
    group('https://a.example/feed', 10 * MIN),
    group('https://b.example/feed', 5 * MIN),
    group('https://c.example/feed', 15 * MIN),
  ]);
  const [a, b, c] = wanted as [(typeof wanted)[0], (typeof wanted)[0], (typeof wanted)[0]];

  it.each([
    {
      case: 'an empty queue gets every group',
      existing: [],
      plan: { added: [a, b, c], changed: [], removed: [] },
    },
    {
      case: 'a queue in step is left alone (schedules keep their next run)',
      existing: [a, b, c].map((s) => ({ id: s.id, everyMs: s.everyMs })),
      plan: { added: [], changed: [], removed: [] },
    },
    {
      case: 'a group whose interval changed is re-added, a removed one is removed',
      existing: [
        { id: a.id, everyMs: a.everyMs },
        { id: b.id, everyMs: 30 * MIN },
        { id: c.id, everyMs: c.everyMs },
        { id: 'poll-gone', everyMs: MIN },
      ],
      plan: { added: [], changed: [b], removed: ['poll-gone'] },
    },
  ])('$case', ({ existing, plan }) => {
    expect(planSchedules(wanted, existing)).toEqual(plan);
  });
});
