import type { Env } from '../config/env';
import type { QueueDepth } from '../jobs/poll-queue';
import type { ProcessPresence } from '../jobs/presence';
import { count } from './report';
import { jobRedisUrl, leaseOf } from '../jobs/roles';
import { describeHolder } from '../store/lease';
import type { KV } from '../store/kv';

export interface RolesReport {
  /** Who holds the sending role. */
  lease: string;
  /** The processes running, in words. */
  roles: string;
  /** With a job queue: its depth, and each process of the deployment. */
  queue?: QueueDepth;
  processes?: ProcessPresence[];
}

const where = (p: ProcessPresence) => `host ${p.host}, pid ${p.pid}, since ${p.since}`;

/**
 * A store without a job queue is run by one process (`start`, role all), which holds the store's
 * lease of that role while it runs: who holds it is who runs, read without taking it.
 */
async function singleProcess(kv: Pick<KV, 'leaseHolder'>): Promise<RolesReport> {
  const name = leaseOf('all')!;
  const holder = await kv.leaseHolder(name);
  return holder
    ? {
        lease: `${name}: ${describeHolder(holder)}`,
        roles: 'one process (role all) does all the work',
      }
    : {
        lease: `${name}: nobody holds it`,
        roles: 'none running: no `briefing start` on this store',
      };
}

/**
 * The deployment's processes and queue, from the job engine's Redis (QUEUE_URL, or a redis://
 * STORE_URL): the workers and bots that announce themselves there; without a queue, the single
 * process from the store's lease.
 */
export async function rolesReport(env: Env, kv: Pick<KV, 'leaseHolder'>): Promise<RolesReport> {
  const url = jobRedisUrl(env);
  if (!url) return singleProcess(kv);
  // Loaded only here: status on a SQLite store never loads BullMQ or ioredis.
  const [{ withRedis }, { openPollQueue }, { runningProcesses }] = await Promise.all([
    import('../jobs/connection'),
    import('../jobs/poll-queue'),
    import('../jobs/presence'),
  ]);
  const [depth, processes] = await withRedis(url, async (redis) => {
    const queue = openPollQueue(redis, env.STORE_PREFIX);
    try {
      return await Promise.all([queue.depth(), runningProcesses(redis, env.STORE_PREFIX)]);
    } finally {
      await queue.close();
    }
  });
  const workers = processes.filter((p) => p.role === 'worker');
  const bots = processes.filter((p) => p.role === 'bot');
  const sender = bots
    .filter((p) => p.state === 'active')
    .sort((a, b) => a.stateSince.localeCompare(b.stateSince))
    .at(-1);
  const standby = bots.filter((p) => p.state === 'standby').length;
  return {
    lease: sender ? `sender: bot on ${where(sender)}` : 'sender: no bot is sending',
    roles: processes.length
      ? `${count(workers.length, 'worker')}, ${sender ? '1 bot sending' : 'no bot sending'}, ${standby} on standby`
      : 'no worker or bot running (a single `start`, role all, does not report here)',
    queue: depth,
    processes,
  };
}

/** The status lines about processes and the queue. */
export function renderRoles(r: RolesReport): string[] {
  return [
    `lease      ${r.lease}`,
    `roles      ${r.roles}`,
    ...(r.processes ?? []).map((p) => `  ${p.role.padEnd(7)}${p.state.padEnd(8)} ${where(p)}`),
    ...(r.queue
      ? [
          `queue      ${r.queue.waiting} waiting, ${r.queue.active} running, ${r.queue.delayed} scheduled poll jobs`,
        ]
      : []),
  ];
}
