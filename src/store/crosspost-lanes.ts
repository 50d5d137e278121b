import { z } from 'zod';
import type { KV } from './kv';
import { KeyedMutex } from './mutex';
import { PauseSchema } from './subscriptions';

/** Discord publishes at most 10 messages per announcement channel per hour. */
export const CROSSPOSTS_PER_HOUR = 10;
export const CROSSPOST_WINDOW_MS = 3_600_000;

/**
 * One announcement channel's crossposts: the messages waiting to be published (oldest first),
 * when the channel's crossposts of the last hour happened (so the 11th is not sent early after a
 * restart either), and why it waits when Discord said so (a 429, a 5xx, a refused permission).
 */
export const CrosspostLaneSchema = z.object({
  waiting: z.array(z.string().min(1).max(32)),
  sent: z.array(z.number()),
  /** Epoch ms before which the channel is not asked again. */
  notBefore: z.number().optional(),
  /** Discord refused the bot publishing here; retried at `notBefore`. */
  paused: PauseSchema.optional(),
});
export type CrosspostLane = z.infer<typeof CrosspostLaneSchema>;

export const EMPTY_LANE: CrosspostLane = { waiting: [], sent: [] };

/** What waits in a channel, for status output. */
export interface LaneStatus {
  queued: number;
  /** When the next one may go, when that is not now. */
  nextAt?: Date;
  paused?: z.infer<typeof PauseSchema>;
}

/** The crossposts of the hour before `now`. */
export const recentSends = (lane: CrosspostLane, now: number): number[] =>
  lane.sent.filter((at) => now - at < CROSSPOST_WINDOW_MS);

/** When the lane's first message may be published: now, or the later of the full window and Discord's word. */
export function laneStatus(lane: CrosspostLane, now: number): LaneStatus {
  const sent = recentSends(lane, now);
  const fullUntil =
    lane.waiting.length > 0 && sent.length >= CROSSPOSTS_PER_HOUR
      ? sent[sent.length - CROSSPOSTS_PER_HOUR]! + CROSSPOST_WINDOW_MS
      : 0;
  const next = Math.max(fullUntil, lane.waiting.length > 0 ? (lane.notBefore ?? 0) : 0);
  return {
    queued: lane.waiting.length,
    ...(next > now ? { nextAt: new Date(next) } : {}),
    ...(lane.paused ? { paused: lane.paused } : {}),
  };
}

/** The lane with its permission pause lifted (the admin says it is fixed); a 429's wait stays. */
export function resumedLane(lane: CrosspostLane): CrosspostLane {
  const { paused, notBefore, ...rest } = lane;
  return paused ? rest : lane;
}

export interface CrosspostLanesRepo {
  /** The channels that have a lane (something waiting, or crossposts of the last hour). */
  channels(): Promise<string[]>;
  get(channelId: string): Promise<CrosspostLane>;
  /**
   * Rewrites a channel's lane (serialised per channel in this process); a lane left with nothing
   * waiting and no recent crosspost is deleted. Returns the lane as written.
   */
  edit(
    channelId: string,
    change: (lane: CrosspostLane, now: number) => CrosspostLane,
    now: number,
  ): Promise<CrosspostLane>;
}

const INDEX = 'xpost:channels';

/**
 * Crossposts waiting for Discord's hourly allowance, kept in the store so a restart neither drops
 * them nor forgets the hour's count. The index of channels is written before a lane and cleared
 * after it, so a crash leaves at worst an index entry with no lane behind it (read as empty).
 */
export function createCrosspostLanesRepo(kv: KV): CrosspostLanesRepo {
  const mutex = new KeyedMutex();
  const laneKey = (channelId: string) => `xpost:lane:${channelId}`;
  const readIndex = async () => z.array(z.string()).parse((await kv.get(INDEX)) ?? []);
  const editIndex = (change: (ids: string[]) => string[] | undefined) =>
    mutex.run(INDEX, async () => {
      const next = change(await readIndex());
      if (next) await kv.set(INDEX, next);
    });
  // A lane that does not parse is an error, not an empty lane: that would drop what waits in it.
  const get = async (channelId: string) =>
    CrosspostLaneSchema.parse((await kv.get(laneKey(channelId))) ?? EMPTY_LANE);

  return {
    channels: readIndex,
    get,
    edit(channelId, change, now) {
      return mutex.run(laneKey(channelId), async () => {
        const changed = change(await get(channelId), now);
        const lane = { ...changed, sent: recentSends(changed, now) };
        const idle = lane.waiting.length === 0 && lane.sent.length === 0;
        if (idle) {
          await kv.delete(laneKey(channelId));
          await editIndex((ids) =>
            ids.includes(channelId) ? ids.filter((id) => id !== channelId) : undefined,
          );
          return EMPTY_LANE;
        }
        await editIndex((ids) => (ids.includes(channelId) ? undefined : [...ids, channelId]));
        await kv.set(laneKey(channelId), CrosspostLaneSchema.parse(lane));
        return lane;
      });
    },
  };
}
