/**
 * A poll cycle at two fleet sizes: the real worker (createApp in console mode, briefings written
 * nowhere, a SQLite store) polls N feeds served by the feed farm (a child process on loopback).
 * After a priming round, in which every feed answers 200 with 20 items, each round finds 90 % of
 * the feeds answering 304 to the conditional request and 10 % with 20 new items: those are
 * parsed, matched against 50 topics, archived, delivered to the console sink. Each size runs in
 * its own process, so its peak RSS is its own; rounds of the two sizes alternate, and the figures
 * are medians over rounds. The ratio of the larger to the smaller shows how a cycle scales
 * (10x the feeds at 10x the time is linear).
 */
import { join } from 'node:path';
import { forkTs, type Child } from './support/child';
import { CHANGE_EVERY, ITEMS_PER_DOC } from './support/farm-rules';
import { startFeedFarm, type FeedFarm } from './support/feed-farm';
import type { RoundReport } from './support/poll-subject';
import { mb, median, spread, times } from './support/stats';
import { benchTopics, topicsYaml } from './support/topics';
import type { Bench } from './types';

const SEED = 20211015;

interface Fleet {
  feeds: number;
  set: string;
  child: Child;
  priming?: RoundReport;
  rounds: RoundReport[];
}

async function round(farm: FeedFarm, fleet: Fleet): Promise<RoundReport> {
  await farm.prepare(fleet.set, fleet.feeds);
  const report = await fleet.child.request<RoundReport>({ type: 'round' });
  if (report.failed > 0)
    throw new Error(`${report.failed} of ${fleet.feeds} feeds failed: ${report.firstError}`);
  return report;
}

export const run: Bench = async ({ quick }) => {
  const sizes = quick ? [10, 100] : [100, 1000];
  const rounds = quick ? 3 : 5;
  const yaml = topicsYaml(await benchTopics(50, SEED));
  const farm = await startFeedFarm({ seed: SEED });
  const hosts = farm.hosts;
  const fleets: Fleet[] = [];
  try {
    for (const feeds of sizes) {
      const fleet: Fleet = {
        feeds,
        set: `poll${feeds}`,
        child: forkTs(join(import.meta.dirname, 'support', 'poll-subject.ts')),
        rounds: [],
      };
      fleets.push(fleet);
      await fleet.child.request({
        type: 'init',
        urls: farm.urls(fleet.set, feeds),
        topicsYaml: yaml,
      });
      fleet.priming = await round(farm, fleet);
    }
    for (let r = 0; r < rounds; r++) {
      // Alternate which size goes first, so drift in the machine's load falls on both.
      for (const fleet of r % 2 ? [...fleets].reverse() : fleets)
        fleet.rounds.push(await round(farm, fleet));
    }
  } finally {
    await Promise.all(fleets.map((f) => f.child.stop()));
    await farm.close();
  }

  const rows: Array<Record<string, string | number>> = fleets.map((f) => ({
    feeds: f.feeds,
    'round wall ms (median)': Math.round(median(f.rounds.map((r) => r.ms))),
    'min–max ms': spread(f.rounds.map((r) => r.ms)),
    'peak RSS MB (median)': mb(median(f.rounds.map((r) => r.peakBytes))),
    'changed / 304': `${median(f.rounds.map((r) => r.ok))} / ${median(f.rounds.map((r) => r.notModified))}`,
    'new items': median(f.rounds.map((r) => r.fresh)),
    delivered: median(f.rounds.map((r) => r.delivered)),
    'priming s': Number(((f.priming?.ms ?? NaN) / 1000).toFixed(1)),
    'priming peak MB': mb(f.priming?.peakBytes ?? NaN),
  }));
  const [small, large] = [fleets[0]!, fleets[1]!];
  const perRound = (pick: (r: RoundReport) => number) =>
    median(small.rounds.map((s, i) => pick(large.rounds[i]!) / pick(s)));
  const wallRatio = perRound((r) => r.ms);
  rows.push({
    feeds: `${large.feeds} / ${small.feeds}`,
    'round wall ms (median)': times(wallRatio),
    'min–max ms': spread(
      small.rounds.map((s, i) => large.rounds[i]!.ms / s.ms),
      2,
    ),
    'peak RSS MB (median)': times(perRound((r) => r.peakBytes)),
  });
  return {
    title: `Poll cycle: ${large.feeds} feeds vs ${small.feeds} (${100 - 100 / CHANGE_EVERY} % answer 304, the rest ${ITEMS_PER_DOC} new items)`,
    rows,
    notes: [
      `Wall time of app.worker.pollOnce() (fetch, parse, match, archive, then drain to the console sink), ${rounds} rounds per size after the priming round, alternating sizes.`,
      `${large.feeds}/${small.feeds} ratio ${times(wallRatio)} per round (median of per-round ratios; 10x = linear).`,
      `Feeds served gzip-compressed with ETags by a child process on ${hosts} loopback address${hosts === 1 ? '' : 'es'} (spread so that the fetcher's per-host cap of 2 does not set the pace); FETCH_CONCURRENCY default 8; 50 topics.`,
      'Peak RSS: of the worker process during the round (VmHWM reset before it, and process.memoryUsage() every 50 ms); it includes what the priming round left on the heap.',
    ],
  };
};
