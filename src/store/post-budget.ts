import { digest } from './hash';
import type { KV } from './kv';

const HOUR_MS = 3_600_000;

/** How much may be posted at once, so a flood of new items cannot bury a channel. */
export interface FloodLimits {
  /** Most briefings one poll of one feed posts one by one; the rest are told as one message. @default 20 */
  perPoll: number;
  /** Most briefings one channel (or the terminal) receives per clock hour, from all feeds. @default 30 */
  perChannelPerHour: number;
}

export const DEFAULT_FLOOD_LIMITS: FloodLimits = { perPoll: 20, perChannelPerHour: 30 };

export interface PostBudgetRepo {
  readonly limits: FloodLimits;
  /**
   * Takes posts from each target's allowance for the hour of `now` (keys are encoded targets) and
   * returns how many each may make: at most what it asked for, and never more than is left.
   */
  take(wanted: ReadonlyMap<string, number>, now: Date): Promise<Map<string, number>>;
  /**
   * True the first time in the hour of `now` that a target is told about items over its limits:
   * one "N more" message an hour, or a hundred feeds each over the limit would flood it again.
   */
  claimNotice(target: string, now: Date): Promise<boolean>;
}

/**
 * Counts posts per target and clock hour. A fixed window rather than a sliding one: one counter
 * per target and hour, expiring on its own, and a burst at most twice the limit across an hour's
 * edge, which is still far from a flood.
 */
export function createPostBudgetRepo(kv: KV, limits: FloodLimits): PostBudgetRepo {
  const hourOf = (now: Date) => Math.floor(now.getTime() / HOUR_MS);
  return {
    limits,
    claimNotice(target, now) {
      const key = `budget:notice:${digest(target)}:${hourOf(now)}`;
      return kv.update([key], ([told]) =>
        told === true
          ? { writes: [], result: false }
          : { writes: [{ key, value: true, ttlMs: 2 * HOUR_MS }], result: true },
      );
    },
    async take(wanted, now) {
      const hour = hourOf(now);
      const asked = [...wanted].filter(([, count]) => count > 0);
      // Nothing to post (most polls): no transaction, which would take the store's write lock.
      if (asked.length === 0) return new Map();
      const keys = asked.map(([target]) => `budget:${digest(target)}:${hour}`);
      // Every target's counter in one update: processes posting to the same channels at once
      // each get what is left after the others, never the same posts twice.
      return kv.update(keys, (counters) => {
        const granted = new Map<string, number>();
        const writes = asked.flatMap(([target, count], i) => {
          const used = (counters[i] as number | undefined) ?? 0;
          const give = Math.max(0, Math.min(count, limits.perChannelPerHour - used));
          granted.set(target, give);
          return give > 0 ? [{ key: keys[i]!, value: used + give, ttlMs: 2 * HOUR_MS }] : [];
        });
        return { writes, result: granted };
      });
    },
  };
}
