import type { App } from '../app';
import { UserError } from '../errors';
import type { Env } from '../config/env';
import { PRESENCE_EXPIRES_S, type ProcessPresence } from '../jobs/presence';
import { jobRedisUrl, type Role } from '../jobs/roles';
import { count } from './report';
import type { Logger } from '../log';
import { describeHolder } from '../store/lease';

/** Exit code when another instance holds the store: like bad input, the operator's to fix. */
export const EXIT_ANOTHER_INSTANCE = 2;

/**
 * Takes the store's lease of role `all` (named `worker`) for this run. False (after saying who holds it) when another
 * instance is active: two instances on one store would post every new item twice.
 */
export async function becomeActive(app: App, logger: Logger): Promise<boolean> {
  const claim = await app.lease!.acquire();
  if (claim.held) return true;
  logger.error(
    `another instance is active on this store (${describeHolder(claim.holder)}); stop it first, or run \`briefing start --standby\` to take over when it stops`,
  );
  return false;
}

/**
 * Refuses to start a role beside the other way of running: `start` (role all) polls and sends by
 * itself, so beside a `--role bot` or workers every new item would be polled twice and sent by two
 * senders with two rate-limit budgets. `all` and a bot each hold a lease (`all` the `worker`
 * lease, a bot the `sender` lease), so the other way's live lease gives it away. Workers hold
 * none; they announce themselves in the job engine's Redis (jobs/presence.ts), which `all` reads
 * when its environment names that Redis (QUEUE_URL, or a redis:// STORE_URL).
 */
export async function refuseMixedRoles(
  app: App,
  role: Role,
  env: Pick<Env, 'LEASE_SECONDS' | 'QUEUE_URL' | 'STORE_URL' | 'STORE_PREFIX'>,
  logger: Logger,
): Promise<void> {
  const mixed = (running: string, where: string, instead: string, expires: string) =>
    new UserError(
      `${running} on this store (${where}); one store runs either one \`start\` or workers and bots, not both: ${instead} (${expires})`,
    );
  const runsOut = `if it was just stopped, its lease runs out within ${env.LEASE_SECONDS} s`;
  if (role !== 'all') {
    const holder = await app.kv.leaseHolder('worker');
    if (holder)
      throw mixed(
        'a `briefing start` (role all) is running',
        describeHolder(holder),
        'stop it first: it already polls and sends',
        runsOut,
      );
    return;
  }
  const holder = await app.kv.leaseHolder('sender');
  if (holder)
    throw mixed(
      'a `briefing start --role bot` is running',
      describeHolder(holder),
      'start workers with `--role worker` instead',
      runsOut,
    );
  const workers = await liveWorkers(env).catch((error: unknown) => {
    // Role all needs no job queue: one it cannot reach is no reason not to start.
    logger.warn('could not look for workers in the job queue', { error });
    return [];
  });
  const [first] = workers;
  if (first)
    throw mixed(
      workers.length === 1
        ? 'a worker (`briefing start --role worker`) is running'
        : `${count(workers.length, 'worker')} (\`briefing start --role worker\`) are running`,
      `host ${first.host}, pid ${first.pid}${workers.length > 1 ? ', …' : ''}`,
      'start a bot with `--role bot` beside them instead',
      `if they were just stopped, their records expire within ${PRESENCE_EXPIRES_S} s`,
    );
}

/** The workers that announce themselves in the job engine's Redis, if the environment names one. */
async function liveWorkers(
  env: Pick<Env, 'QUEUE_URL' | 'STORE_URL' | 'STORE_PREFIX'>,
): Promise<ProcessPresence[]> {
  const url = jobRedisUrl(env);
  if (!url) return [];
  // Loaded only here: a start on SQLite or PostgreSQL without a queue never loads ioredis.
  const [{ withRedis }, { runningProcesses }] = await Promise.all([
    import('../jobs/connection'),
    import('../jobs/presence'),
  ]);
  return withRedis(url, async (redis) =>
    (await runningProcesses(redis, env.STORE_PREFIX)).filter((p) => p.role === 'worker'),
  );
}
