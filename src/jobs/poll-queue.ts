import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FetchGroup } from '../worker/schedule';
import { planSchedules, pollSchedules } from './schedules';

/** The queue every worker takes poll jobs from; a job's data names one URL group. */
export const POLL_QUEUE = 'poll';
export interface PollJobData {
  groupKey: string;
}

/** Jobs waiting, running and scheduled for later: what `briefing status` shows as the queue's depth. */
export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
}

export interface PollQueue {
  /**
   * Makes the engine's schedulers match the catalogue's groups (every worker does it at start and
   * on a config reload: the writes are idempotent). A new group is polled at once as well, as the
   * single process polls a feed it has never seen.
   */
  sync(groups: FetchGroup[]): Promise<{ added: number; changed: number; removed: number }>;
  depth(): Promise<QueueDepth>;
  close(): Promise<void>;
}

/** BullMQ's key prefix under STORE_PREFIX, so test runs and deployments can share one Redis. */
export const queuePrefix = (storePrefix: string) => `${storePrefix}bull`;

// Finished jobs are not kept: the feed state is the record of a poll, not the queue.
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: 100 };

export function openPollQueue(connection: Redis, storePrefix: string): PollQueue {
  const queue = new Queue<PollJobData>(POLL_QUEUE, {
    connection,
    prefix: queuePrefix(storePrefix),
    defaultJobOptions: JOB_OPTIONS,
  });
  return {
    async sync(groups) {
      const existing = (await queue.getJobSchedulers(0, -1)).map((s) => ({
        id: s.key,
        everyMs: s.every,
      }));
      const plan = planSchedules(pollSchedules(groups), existing);
      for (const s of [...plan.added, ...plan.changed]) {
        await queue.upsertJobScheduler(
          s.id,
          { every: s.everyMs, offset: s.offsetMs },
          { name: 'poll', data: { groupKey: s.groupKey }, opts: JOB_OPTIONS },
        );
      }
      for (const s of plan.added)
        await queue.add('poll', { groupKey: s.groupKey }, { jobId: `first-${s.id}` });
      for (const id of plan.removed) await queue.removeJobScheduler(id);
      return {
        added: plan.added.length,
        changed: plan.changed.length,
        removed: plan.removed.length,
      };
    },
    async depth() {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
      return {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
      };
    },
    close: () => queue.close(),
  };
}
