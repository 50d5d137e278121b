import { hostname } from 'node:os';
import { Worker as QueueWorker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { HostSlots } from '../feeds/fetch';
import type { Logger } from '../log';
import { digest } from '../store/hash';
import type { FetchGroup } from '../worker/schedule';
import { connectRedis } from './connection';
import {
  openPollQueue,
  POLL_QUEUE,
  type PollJobData,
  type QueueDepth,
  queuePrefix,
} from './poll-queue';
import { type Presence, type ProcessPresence, startPresence } from './presence';
import { createRedisSemaphore } from './redis-semaphore';
import type { Role } from './roles';

/**
 * The job engine (BullMQ on Redis) as the roles use it. Workers share the poll jobs: one
 * repeating job per URL group, taken by whichever worker is free. BullMQ gives what the single
 * process did by itself: the schedule, a concurrency limit per process, and stalled-job recovery
 * (a job whose worker stopped renewing its lock — killed, frozen — runs again elsewhere).
 * Around that, two Redis semaphores: one poll of a URL at a time (a slow poll may outlast its
 * interval, and the next job would start beside it), and the per-host politeness cap across
 * every process.
 */
export interface JobEngine {
  /** The per-host fetch cap, shared by every worker (the fetcher takes it after its own). */
  readonly hostSlots: HostSlots;
  /** Keeps the queue's schedulers in step with the catalogue's URL groups. */
  sync(groups: FetchGroup[]): Promise<{ added: number; changed: number; removed: number }>;
  /** Starts taking poll jobs: `poll` runs one group's poll (the worker's pollGroup). */
  consume(poll: (groupKey: string) => Promise<unknown>): void;
  depth(): Promise<QueueDepth>;
  /** Tells `briefing status` this process is running, and in which state. */
  announce(state: ProcessPresence['state']): Promise<void>;
  /** Stops taking jobs, lets the running ones finish, and disconnects. */
  close(): Promise<void>;
}

export interface JobEngineOptions {
  url: string;
  role: Role;
  /** STORE_PREFIX: before every key of the queue and the semaphores. */
  storePrefix: string;
  /** Poll jobs one worker runs at once (FETCH_CONCURRENCY). */
  concurrency: number;
  /**
   * How long a job's lock outlives its worker's last renewal (LEASE_SECONDS): a killed worker's
   * job runs again after at most about twice this.
   */
  lockMs: number;
  /** Fetches per host across the deployment (the fetcher's own per-host cap). */
  perHost: number;
  logger: Logger;
  now: () => Date;
}

/**
 * A slot's expiry when its holder dies (renewed every third of it while a fetch or poll runs): no
 * longer than a job's lock, so a killed worker's job, run again elsewhere, does not then wait for
 * the slot the same worker held.
 */
const SLOT_TTL_MS = 15_000;

export function openJobEngine(o: JobEngineOptions): JobEngine {
  const redis = connectRedis(o.url, 'commands');
  // ioredis reconnects by itself; the failing commands are what the worker reports.
  redis.on('error', () => {});
  const queue = openPollQueue(redis, o.storePrefix);
  const slots = (name: string, limit: number) =>
    createRedisSemaphore(redis, {
      prefix: `${o.storePrefix}briefing:${name}:`,
      limit,
      ttlMs: Math.min(SLOT_TTL_MS, o.lockMs),
    });
  const hosts = slots('host', o.perHost);
  const urls = slots('poll', 1);
  const presence: Presence = startPresence(redis, o.storePrefix, o.role, o.now);
  let consumer: QueueWorker<PollJobData> | undefined;
  let blocking: Redis | undefined;

  return {
    hostSlots: { acquire: (host, signal) => hosts.acquire(host, signal) },
    sync: (groups) => queue.sync(groups),
    consume(poll) {
      const connection = connectRedis(o.url, 'blocking');
      connection.on('error', () => {});
      blocking = connection;
      consumer = new QueueWorker<PollJobData>(
        POLL_QUEUE,
        async (job) => {
          // Waits for a poll of the same URL still running elsewhere; its slot expires if that
          // worker was killed. Polls are idempotent, so one right after another is only a 304.
          const release = await urls.acquire(digest(job.data.groupKey));
          try {
            await poll(job.data.groupKey);
          } finally {
            release();
          }
        },
        {
          connection,
          prefix: queuePrefix(o.storePrefix),
          concurrency: o.concurrency,
          lockDuration: o.lockMs,
          stalledInterval: o.lockMs,
          // A job is retried after each of a few stalls (workers killed one after another)
          // before it counts as failed; the next scheduled run comes anyway.
          maxStalledCount: 3,
          name: `${hostname()}:${process.pid}`,
        },
      );
      consumer.on('error', (error) => o.logger.warn('job queue error', { error }));
      // A poll's own failures are the feed state's; what reaches here is a job that stalled too
      // often, or a failure to take the URL's slot. The group's next scheduled job runs anyway.
      consumer.on('failed', (job, error) =>
        o.logger.warn('poll job failed', { feedUrl: job?.data.groupKey, error }),
      );
    },
    depth: () => queue.depth(),
    announce: (state) => presence.announce(state),
    async close() {
      await consumer?.close();
      blocking?.disconnect();
      await presence.stop();
      await queue.close();
      redis.disconnect();
    },
  };
}
