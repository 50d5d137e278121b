/**
 * Throughput of 1, 2 and 4 worker processes (`briefing start --role worker`, plus one console
 * `bot` that sends what they queue) on the poll-cycle workload: the same feed farm, where each
 * poll of a feed finds 20 new items one time in ten and a 304 otherwise. The feeds' interval is
 * 1 s, far more polls than any fleet here can make, so the fleet polls as fast as it can and the
 * rate it reaches is its capacity. Each worker count gets its own store prefix and set of farm
 * feeds, is primed (first sight: every feed's 20 items archived, timed as well), then measured
 * over a window; the counts run one after the other in this one run. The machine's CPU is
 * measured beside it, because on a 2-core machine the cores, not the processes, are the limit.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { startFleet } from '../tests/support/fleet/fleet';
import { ITEMS_PER_DOC } from './support/farm-rules';
import { startFeedFarm, type FeedFarm } from './support/feed-farm';
import { benchTopics, topicsYaml } from './support/topics';
import type { Bench } from './types';

const SEED = 20261207;
const WORKER_COUNTS = [1, 2, 4];

interface Measured {
  workers: number;
  primingS: number;
  polls: number;
  items: number;
  windowS: number;
  workerCores: number;
  machineBusy: number;
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const n = fields.map(Number);
  const idle = n[3]! + (n[4] ?? 0);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU seconds (user + system) a process has used, or 0 once it is gone. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(after[11]) + Number(after[12])) / 100;
  } catch {
    return 0;
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function measure(
  farm: FeedFarm,
  workers: number,
  feeds: number,
  windowMs: number,
  topics: string,
): Promise<Measured> {
  const set = `scale${workers}`;
  const fleet = await startFleet({
    feedUrls: farm.urls(set, feeds),
    interval: '1s',
    workers,
    roles: { worker: ['start', '--role', 'worker'], bot: ['start', '--role', 'bot'] },
    discord: false,
    topicsYaml: topics,
    env: { LOG_LEVEL: 'warn' },
  });
  try {
    const started = performance.now();
    while ((await fleet.primedFeeds()) < feeds) {
      const dead = fleet.history.find(({ run }) => run.child.exitCode !== null);
      if (dead) throw new Error(`${dead.name} exited:\n${dead.run.output().slice(-2000)}`);
      await delay(250);
    }
    const primingS = (performance.now() - started) / 1000;
    // The first steady polls run while the last first-sight items are still being written.
    await delay(2_000);
    const pids = Array.from({ length: workers }, (_, slot) => fleet.worker(slot).child.pid);
    const cpu0 = pids.map(cpuSeconds);
    const machine0 = machineJiffies();
    const before = await farm.stats(set);
    const t0 = performance.now();
    await delay(windowMs);
    const after = await farm.stats(set);
    const windowS = (performance.now() - t0) / 1000;
    const machine1 = machineJiffies();
    const cpu1 = pids.map(cpuSeconds);
    return {
      workers,
      primingS,
      polls: after.requests - before.requests,
      items: (after.ok - before.ok) * ITEMS_PER_DOC,
      windowS,
      workerCores: cpu1.reduce((sum, c, i) => sum + c - cpu0[i]!, 0) / windowS,
      machineBusy: (machine1.busy - machine0.busy) / (machine1.total - machine0.total),
    };
  } finally {
    await fleet.stop();
    await fleet.close();
  }
}

export const run: Bench = async ({ quick }) => {
  const feeds = quick ? 150 : 500;
  const windowMs = quick ? 4_000 : 15_000;
  const topics = topicsYaml(await benchTopics(50, SEED));
  const farm = await startFeedFarm({ seed: SEED });
  const results: Measured[] = [];
  try {
    for (const workers of WORKER_COUNTS)
      results.push(await measure(farm, workers, feeds, windowMs, topics));
  } finally {
    await farm.close();
  }
  const one = results[0]!;
  const rows = results.map((r) => {
    const pollsPerS = r.polls / r.windowS;
    return {
      'worker processes': r.workers,
      'polls/s': Math.round(pollsPerS),
      'new items/s': Math.round(r.items / r.windowS),
      'round ms': Math.round((feeds / pollsPerS) * 1000),
      'vs 1 worker': `${(r.polls / r.windowS / (one.polls / one.windowS)).toFixed(2)}x`,
      'workers CPU (cores)': r.workerCores.toFixed(2),
      'machine CPU busy': `${Math.round(r.machineBusy * 100)} %`,
      'priming s': Number(r.primingS.toFixed(1)),
      'priming items/s': Math.round((feeds * ITEMS_PER_DOC) / r.primingS),
    };
  });
  return {
    title: `Scaling: 1, 2 and 4 worker processes on one Redis (${feeds} feeds, poll-cycle workload)`,
    rows,
    notes: [
      `Each fleet: N \`start --role worker\` processes and one console \`start --role bot\` on Redis (own key prefix), ${feeds} feeds of the farm polled every 1 s — more than any fleet here keeps up with, so polls/s is its capacity.`,
      `Polls and new items counted by the farm over a ${windowMs / 1000} s window after priming (+2 s); round ms = the time to poll every feed once at that rate.`,
      `Priming: first sight of every feed (${ITEMS_PER_DOC} items each archived, nothing delivered), timed until the store marks all feeds primed.`,
      `The machine has ${cpus().length} cores shared by the workers, the bot, Redis and the farm: "machine CPU busy" near 100 % means the cores, not the process count, set the pace.`,
    ],
  };
};
