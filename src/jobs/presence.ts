import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Role } from './roles';

/**
 * Which processes of a deployment are running, for `briefing status`: each worker and bot
 * writes a small record to the job engine's Redis and renews it; a process that died drops out
 * once its record expires (three renewals missed).
 */
export interface ProcessPresence {
  role: Role;
  host: string;
  pid: number;
  since: string;
  /** A bot sends (`active`) or waits for the sender lease (`standby`); a worker is `active`. */
  state: 'active' | 'standby';
  /**
   * When it entered that state. A killed sender's record outlives it by a few seconds: of two
   * `active` bots, the one that became active last holds the lease.
   */
  stateSince: string;
}

export interface Presence {
  announce(state: ProcessPresence['state']): Promise<void>;
  stop(): Promise<void>;
}

const EVERY_MS = 2_000;
/** How long a process's record outlives its last renewal (three renewals missed). */
export const PRESENCE_EXPIRES_S = (EVERY_MS * 3) / 1000;
const keyPrefix = (storePrefix: string) => `${storePrefix}briefing:presence:`;

export function startPresence(
  redis: Redis,
  storePrefix: string,
  role: Role,
  now: () => Date,
): Presence {
  const self: ProcessPresence = {
    role,
    host: hostname(),
    pid: process.pid,
    since: now().toISOString(),
    state: 'standby',
    stateSince: now().toISOString(),
  };
  const key = `${keyPrefix(storePrefix)}${self.host}:${self.pid}:${self.since}`;
  const write = () => redis.set(key, JSON.stringify(self), 'PX', PRESENCE_EXPIRES_S * 1000);
  // A missed renewal (Redis away) is not this process's failure: the record only expires sooner.
  const timer = setInterval(() => void write().catch(() => {}), EVERY_MS);
  timer.unref();
  return {
    async announce(state) {
      self.state = state;
      self.stateSince = now().toISOString();
      await write();
    },
    async stop() {
      clearInterval(timer);
      await redis.del(key).catch(() => {});
    },
  };
}

/** Every process whose record is current, oldest first. */
export async function runningProcesses(
  redis: Redis,
  storePrefix: string,
): Promise<ProcessPresence[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(
      cursor,
      'MATCH',
      `${keyPrefix(storePrefix)}*`,
      'COUNT',
      200,
    );
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const records = await redis.mget(...keys);
  return records
    .flatMap((r) => (r ? [JSON.parse(r) as ProcessPresence] : []))
    .sort((a, b) => a.since.localeCompare(b.since));
}
