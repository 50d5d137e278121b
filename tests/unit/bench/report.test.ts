import { describe, expect, it } from 'vitest';
import { GOALS } from '../../../bench/support/goals';
import { goalLine, median } from '../../../bench/support/stats';
import { renderTable } from '../../../bench/support/table';
import type { BenchSection } from '../../../bench/types';

const section = (rows: BenchSection['rows']): BenchSection => ({ title: 't', rows });

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ])('of %j is %d', (xs, expected) => {
    expect(median(xs)).toBe(expected);
  });

  it('of nothing is NaN', () => {
    expect(median([])).toBeNaN();
  });
});

describe('renderTable', () => {
  it('lines up columns from every row, numbers to the right and text to the left', () => {
    const out = renderTable([
      { name: 'a', n: 5 },
      { name: 'longer', n: 1234, extra: 'x' },
    ]).split('\n');
    expect(out[0]).toBe('name   |     n | extra');
    expect(out[2]).toBe('a      |     5 |');
    expect(out[3]).toBe('longer | 1,234 | x');
  });
});

describe('goals', () => {
  it.each([
    ['1.42x', true],
    ['1.50x', true],
    ['18.90x', false],
  ])('the pipeline goal is met at %s: %s', (ratio, met) => {
    const [goal] = GOALS.pipeline!(
      section([{ measure: 'pipeline: parseFeed + processFeed', 'vs floor': ratio }]),
    );
    expect(goal?.met).toBe(met);
  });

  it('reads the matching goals from the 10 and 1,000 topic rows', () => {
    const goals = GOALS.matching!(
      section([
        { topics: 10, 'matcher µs/item': 100, speedup: '3.0x' },
        { topics: 1000, 'matcher µs/item': 250, speedup: '25.4x' },
      ]),
    );
    expect(goals.map((g) => g.met)).toEqual([true, true]);
  });

  it('compares the largest archive with the smallest', () => {
    const goals = GOALS.archive!(
      section([
        { items: 10_000, '7d topic p50/p99 ms': '1.5 / 3', '30d text p50/p99 ms': '2 / 4' },
        { items: 1_000_000, '7d topic p50/p99 ms': '2.5 / 9', '30d text p50/p99 ms': '5 / 20' },
      ]),
    );
    expect(goals.map((g) => g.met)).toEqual([true, false]);
    expect(goals[0]!.text).toContain('1000k/10k');
  });

  it('judges memory on the polling bot as npm start runs it, not on the comparison row', () => {
    const rows = (polling: number, plain: number) => [
      { bot: 'idle, no feeds (baseline)', feeds: 0, 'steady RSS MB': 120 },
      { bot: 'polling, 50 topics', feeds: 1000, 'steady RSS MB': polling },
      { bot: 'same, default V8 flags (comparison)', feeds: 1000, 'steady RSS MB': plain },
    ];
    const missed = GOALS.memory!(section(rows(180, 140)));
    expect(missed[0]).toMatchObject({ met: false });
    expect(missed[0]!.text).toContain('1000 feeds');
    expect(GOALS.memory!(section(rows(140, 280)))[0]).toMatchObject({ met: true });
  });

  it('reports a figure the section no longer has as not measured, never as met', () => {
    const [goal] = GOALS['poll-cycle']!(section([{ feeds: 100 }]));
    expect(goal?.met).toBeUndefined();
    expect(goalLine(goal!)).toMatch(/— not measured$/);
  });

  it('prints a missed goal as NOT met', () => {
    expect(goalLine({ text: 'x <= 1', met: false })).toBe('goal: x <= 1 — NOT met');
  });
});
