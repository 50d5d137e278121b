/**
 * The goals the benchmarks hold the bot to, checked against each section's rows. Kept apart from the sections so that
 * every section is judged the same way, whoever wrote it; a column a section no longer has shows
 * as "not measured" rather than as a pass.
 */
import type { BenchSection } from '../types';
import type { Goal } from './stats';

type Row = BenchSection['rows'][number];

/** A figure from a cell: a number, or the first number in a string such as "2.31x" or "4.1 / 9". */
function num(v: Row[string] | undefined): number | undefined {
  if (typeof v === 'number') return v;
  const m = v === undefined ? null : /-?\d+(?:\.\d+)?/.exec(v.replace(/,/g, ''));
  return m ? Number(m[0]) : undefined;
}

const check = (
  text: string,
  value: number | undefined,
  ok: (v: number) => boolean,
  show: (v: number) => string,
): Goal => ({
  text: `${text} (${value === undefined || Number.isNaN(value) ? 'n/a' : show(value)})`,
  met: value === undefined || Number.isNaN(value) ? undefined : ok(value),
});

const x = (v: number) => `${v.toFixed(2)}x`;

function pipeline(s: BenchSection): Goal[] {
  const row = s.rows.find((r) => String(r.measure).startsWith('pipeline'));
  return [
    check(
      'pipeline cost per item <= 4x rss-parser parse alone',
      num(row?.['vs floor']),
      (v) => v <= 4,
      x,
    ),
    // Issue 14: deciding an item's story, measured as a stage of the same run.
    check(
      "story stage <= 10 % of the pipeline's per-item cost",
      num(s.rows.find((r) => String(r.measure).includes('· story'))?.['vs floor']),
      (v) => v <= 10,
      (v) => `${v} %`,
    ),
  ];
}

function matching(s: BenchSection): Goal[] {
  const at = (n: number) => s.rows.find((r) => r.topics === n);
  const cost = (n: number) => num(at(n)?.['matcher µs/item']);
  const c10 = cost(10);
  const c1000 = cost(1000);
  return [
    check(
      '1,000 topics cost <= 3x 10 topics',
      c10 && c1000 ? c1000 / c10 : undefined,
      (v) => v <= 3,
      x,
    ),
    check(
      '>= 10x the naive regex baseline at 1,000 topics',
      num(at(1000)?.speedup),
      (v) => v >= 10,
      (v) => `${v}x`,
    ),
  ];
}

function archive(s: BenchSection): Goal[] {
  const sized = s.rows.filter((r) => typeof r.items === 'number');
  const [small, large] = [sized[0], sized.at(-1)];
  const ratio = (col: string) => {
    const a = num(small?.[col]);
    const b = num(large?.[col]);
    return a && b !== undefined ? b / a : undefined;
  };
  const label = `${Number(large?.items ?? 0) / 1000}k/${Number(small?.items ?? 0) / 1000}k`;
  return [
    check(`7-day topic query p50 ${label} <= 2`, ratio('7d topic p50/p99 ms'), (v) => v <= 2, x),
    check(`30-day text query p50 ${label} <= 2`, ratio('30d text p50/p99 ms'), (v) => v <= 2, x),
  ];
}

/**
 * The story stage's share of the pipeline (at most 10 %) is a goal of the pipeline section, where
 * both are measured in one run; this section holds the cost against the index's size.
 */
function stories(s: BenchSection): Goal[] {
  const sized = s.rows.filter((r) => typeof r.items === 'number');
  const [small, large] = [sized[0], sized.at(-1)];
  const cost = (row: Row | undefined) => num(row?.['assign µs/item (mean)']);
  const a = cost(small);
  const b = cost(large);
  const label = `${Number(large?.items ?? 0) / 1000}k/${Number(small?.items ?? 0) / 1000}k`;
  return [
    check(
      `story decision per item ${label} <= 1.5x`,
      a && b !== undefined ? b / a : undefined,
      (v) => v <= 1.5,
      x,
    ),
  ];
}

/** Linear is 10x for 10x the feeds; rounds of the small fleet are short, so allow 10 % of noise. */
function pollCycle(s: BenchSection): Goal[] {
  const ratioRow = s.rows.find((r) => typeof r.feeds === 'string' && r.feeds.includes('/'));
  return [
    check(
      'a round scales linearly or better: 10x the feeds <= 10x the wall time (+10 % noise)',
      num(ratioRow?.['round wall ms (median)']),
      (v) => v <= 11,
      x,
    ),
  ];
}

function memory(s: BenchSection): Goal[] {
  // The bot as `npm start` runs it; the row under default V8 flags is a comparison.
  const bot = s.rows.find((r) => r.bot === 'polling, 50 topics');
  return [
    check(
      `resident memory at steady state with ${bot?.feeds ?? '?'} feeds <= 150 MB`,
      num(bot?.['steady RSS MB']),
      (v) => v <= 150,
      (v) => `${v} MB`,
    ),
  ];
}

export const GOALS: Record<string, (s: BenchSection) => Goal[]> = {
  pipeline,
  matching,
  archive,
  stories,
  'poll-cycle': pollCycle,
  memory,
};
