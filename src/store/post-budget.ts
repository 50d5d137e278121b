import { digest } from './hash';
import type { KV } from './kv';
import { KeyedMutex } from './mutex';

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
  const mutex = new KeyedMutex();
  const hourOf = (now: Date) => Math.floor(now.getTime() / HOUR_MS);
  return {
    limits,
    claimNotice(target, now) {
      const key = `budget:notice:${digest(target)}:${hourOf(now)}`;
      return mutex.run(key, async () => {
        if ((await kv.get<boolean>(key)) === true) return false;
        await kv.set(key, true, 2 * HOUR_MS);
        return true;
      });
    },
    async take(wanted, now) {
      const hour = hourOf(now);
      const granted = new Map<string, number>();
      for (const [target, count] of wanted) {
        if (count <= 0) continue;
        const key = `budget:${digest(target)}:${hour}`;
        const given = await mutex.run(key, async () => {
          const used = (await kv.get<number>(key)) ?? 0;
          const give = Math.max(0, Math.min(count, limits.perChannelPerHour - used));
          if (give > 0) await kv.set(key, used + give, 2 * HOUR_MS);
          return give;
        });
        granted.set(target, given);
      }
      return granted;
    },
  };
}
