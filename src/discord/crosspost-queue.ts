import {
  DiscordAPIError,
  type RateLimitData,
  RateLimitError,
  type REST,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import { PAUSED_RECHECK_MS } from '../delivery/drain';
import type { Logger } from '../log';
import {
  CROSSPOSTS_PER_HOUR,
  type CrosspostLane,
  type CrosspostLanesRepo,
  laneStatus,
  recentSends,
} from '../store/crosspost-lanes';
import { type SurfacePaused, surfaceFailure } from './surface-pause';

/**
 * For the REST client's `rejectOnRateLimit`: a crosspost 429 can ask for most of an hour, and
 * discord.js would otherwise hold that request (and the channel's queue behind it) that long.
 * The queue below waits instead, with the rest of the bot unblocked.
 */
export const rejectCrosspostRateLimits = (data: RateLimitData): boolean =>
  data.route.endsWith('/crosspost');

export interface CrosspostStatus {
  /** Briefings waiting to be published in this channel. */
  queued: number;
  /** When the next one may go, if the hour's allowance is used up or Discord said to wait. */
  nextAt?: Date;
  paused?: SurfacePaused;
}

export interface CrosspostQueue {
  /** Stores the message to be published when the channel's hourly allowance lets it; never drops it. */
  enqueue(channelId: string, messageId: string): Promise<void>;
  /** Publishes what is due, channel by channel, oldest first. One drain runs at a time. */
  drain(): Promise<void>;
  /** For status output: what waits in a channel and why. */
  status(channelId: string): Promise<CrosspostStatus>;
}

export interface CrosspostQueueDeps {
  rest: REST;
  lanes: CrosspostLanesRepo;
  clock: () => Date;
  logger: Logger;
}

/** What one publish attempt did to the lane's first message. */
type Outcome =
  | { kind: 'published' }
  /** Nothing left to publish (deleted, or refused for good): leaves the queue. */
  | { kind: 'gone' }
  | { kind: 'wait'; untilMs: number; paused?: SurfacePaused };

/** The lane after an attempt on `messageId` at `now` (pure). */
export function afterAttempt(
  lane: CrosspostLane,
  messageId: string,
  outcome: Outcome,
  now: number,
): CrosspostLane {
  if (outcome.kind === 'wait')
    return {
      ...lane,
      notBefore: outcome.untilMs,
      ...(outcome.paused
        ? { paused: { reason: outcome.paused.reason, since: new Date(now).toISOString() } }
        : {}),
    };
  const { notBefore: _waited, paused: _cleared, ...rest } = lane;
  return {
    ...rest,
    waiting: lane.waiting.filter((id) => id !== messageId),
    sent: outcome.kind === 'published' ? [...lane.sent, now] : lane.sent,
  };
}

/**
 * Publishes briefings posted in announcement channels to the servers that follow them, within
 * Discord's 10 per channel per hour: beyond that they wait their turn, in the store, so a restart
 * loses none. It counts its own crossposts so the 11th is never sent early, and still honours a
 * 429 Discord sends anyway (another bot or a person publishing in the same channel). A missing
 * permission pauses the channel's queue with a reason, re-tried hourly; nothing queued is lost.
 *
 * Crash safety: a message leaves the queue after Discord published it. A crash between the two
 * asks again after the restart; Discord answers "already crossposted" (40033), which counts as
 * published, so no message is published twice.
 */
export function createCrosspostQueue(deps: CrosspostQueueDeps): CrosspostQueue {
  const now = () => deps.clock().getTime();
  let running: Promise<void> = Promise.resolve();

  async function publish(channelId: string, messageId: string): Promise<Outcome> {
    try {
      await deps.rest.post(Routes.channelMessageCrosspost(channelId, messageId));
      return { kind: 'published' };
    } catch (err) {
      if (err instanceof RateLimitError) return { kind: 'wait', untilMs: now() + err.retryAfter };
      const code = err instanceof DiscordAPIError ? err.code : undefined;
      // Published already (by us before a crash, or by a person): it counted in Discord's hour.
      if (code === RESTJSONErrorCodes.ThisMessageWasAlreadyCrossposted)
        return { kind: 'published' };
      // Deleted by a moderator: nothing left to publish.
      if (code === RESTJSONErrorCodes.UnknownMessage) return { kind: 'gone' };
      const failure = surfaceFailure(err, 'crosspost', channelId, 0);
      if (failure.kind === 'paused') {
        deps.logger.warn('crossposting paused', { channelId, reason: failure.reason });
        return { kind: 'wait', untilMs: now() + PAUSED_RECHECK_MS, paused: failure };
      }
      if (failure.kind === 'retry') return { kind: 'wait', untilMs: now() + failure.afterMs };
      deps.logger.warn('crosspost refused', { channelId, reason: failure.reason });
      return { kind: 'gone' };
    }
  }

  /** Publishes the channel's due messages until its allowance or Discord says stop. */
  async function drainLane(channelId: string): Promise<void> {
    for (;;) {
      const lane = await deps.lanes.get(channelId);
      const at = now();
      const messageId = lane.waiting[0];
      const recent = recentSends(lane, at);
      if (messageId === undefined) {
        // Nothing waits: rewritten once its hour is over (or it was never written), so it leaves the store.
        if (recent.length === 0) await deps.lanes.edit(channelId, (l) => l, at);
        return;
      }
      if (recent.length >= CROSSPOSTS_PER_HOUR) return;
      if (lane.notBefore !== undefined && at < lane.notBefore) return;
      const outcome = await publish(channelId, messageId);
      await deps.lanes.edit(channelId, (l) => afterAttempt(l, messageId, outcome, now()), now());
      if (outcome.kind === 'wait') return;
    }
  }

  async function drainAll(): Promise<void> {
    for (const channelId of await deps.lanes.channels()) await drainLane(channelId);
  }

  return {
    async enqueue(channelId, messageId) {
      await deps.lanes.edit(
        channelId,
        (l) => (l.waiting.includes(messageId) ? l : { ...l, waiting: [...l.waiting, messageId] }),
        now(),
      );
    },
    drain() {
      // Serialised: two drains publishing the same first message would count it twice.
      const next = running.then(drainAll, drainAll);
      running = next.catch(() => {});
      return next;
    },
    async status(channelId) {
      const { paused, ...status } = laneStatus(await deps.lanes.get(channelId), now());
      return {
        ...status,
        ...(paused
          ? {
              paused: {
                kind: 'paused' as const,
                surface: 'crosspost' as const,
                channelId,
                reason: paused.reason,
              },
            }
          : {}),
      };
    },
  };
}
