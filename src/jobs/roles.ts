import { ConfigError } from '../errors';
import type { Env } from '../config/env';

/**
 * What a process does (`briefing start --role`): `all` is the single process that needs nothing
 * but its store; `worker` polls feeds from the job queue and queues deliveries; `bot` holds the
 * Discord gateway and sends what the workers queued.
 */
export const ROLES = ['all', 'worker', 'bot'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The lease a role takes before it works: one `all` per store (it polls on its own schedule and
 * sends), one sending `bot` (Discord's rate limits are per bot, so one sender keeps them across
 * the deployment); workers take none, any number share the queue.
 */
export function leaseOf(role: Role): string | undefined {
  switch (role) {
    case 'all':
      return 'worker';
    case 'bot':
      return 'sender';
    case 'worker':
      return undefined;
  }
}

/**
 * The job engine's Redis for a role that needs it: QUEUE_URL, else STORE_URL when it is Redis.
 * Role `all` needs none (undefined). The others share the store between processes, which a
 * SQLite file on one machine's disk cannot do for processes on several.
 */
export function queueUrlFor(role: Role, env: Pick<Env, 'QUEUE_URL' | 'STORE_URL'>) {
  if (role === 'all') return undefined;
  const problem = (path: string, message: string) =>
    new ConfigError([{ file: 'environment', path, message }]);
  if (env.STORE_URL.startsWith('sqlite:'))
    throw problem(
      'STORE_URL',
      `role ${role} needs a store every process reaches (redis:// or postgres://); SQLite works with role all only`,
    );
  const url = jobRedisUrl(env);
  if (url) return url;
  throw problem(
    'QUEUE_URL',
    `role ${role} shares work through a Redis job queue: set QUEUE_URL (or use a redis:// STORE_URL)`,
  );
}

/** The job engine's Redis as the environment names it: QUEUE_URL, else a redis:// STORE_URL. */
export function jobRedisUrl(env: Pick<Env, 'QUEUE_URL' | 'STORE_URL'>): string | undefined {
  return env.QUEUE_URL ?? (/^rediss?:\/\//.test(env.STORE_URL) ? env.STORE_URL : undefined);
}
