import {
  DiscordAPIError,
  type RateLimitData,
  RateLimitError,
  type REST,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import type { Logger } from '../log';
import { type SurfacePaused, surfaceFailure } from './surface-pause';

/** Discord publishes at most 10 messages per announcement channel per hour. */
export const CROSSPOSTS_PER_HOUR = 10;
const HOUR_MS = 3_600_000;

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
  /** When the next one may go, if the hour's allowance is used up. */
  nextAt?: Date;
  paused?: SurfacePaused;
}

export interface CrosspostQueue {
  /** Publishes this message when the channel's hourly allowance lets it; never drops it. */
  enqueue(channelId: string, messageId: string): void;
  /** Publishes what is due, channel by channel, oldest first. */
  drain(): Promise<void>;
  /** For status output: what waits in a channel and why. */
  status(channelId: string): CrosspostStatus;
  /** Clears a pause (after an admin fixed the permission) so the next drain tries again. */
  resume(channelId: string): void;
}

interface Lane {
  waiting: string[];
  /** When this channel's crossposts of the last hour happened, oldest first. */
  sent: number[];
  /** Discord said to wait until then (a 429 or a 5xx). */
  notBefore?: number;
  paused?: SurfacePaused;
}

export interface CrosspostQueueDeps {
  rest: REST;
  clock: () => Date;
  logger: Logger;
}

/**
 * Publishes briefings posted in announcement channels to the servers that follow them, within
 * Discord's 10 per channel per hour: beyond that they wait their turn. It counts its own
 * crossposts so the 11th is never sent early, and still honours a 429 Discord sends anyway
 * (another bot or a person publishing in the same channel). A missing permission pauses the
 * channel's queue with a reason; nothing queued is lost.
 */
export function createCrosspostQueue(deps: CrosspostQueueDeps): CrosspostQueue {
  const lanes = new Map<string, Lane>();
  const lane = (channelId: string) => {
    let found = lanes.get(channelId);
    if (!found) {
      found = { waiting: [], sent: [] };
      lanes.set(channelId, found);
    }
    return found;
  };
  const now = () => deps.clock().getTime();
  const window = (l: Lane) => {
    l.sent = l.sent.filter((at) => now() - at < HOUR_MS);
    return l.sent;
  };

  /** Publishes the first waiting message; false when the lane must stop for now. */
  async function publishNext(channelId: string, l: Lane): Promise<boolean> {
    const messageId = l.waiting[0]!;
    try {
      await deps.rest.post(Routes.channelMessageCrosspost(channelId, messageId));
      l.sent.push(now());
      l.waiting.shift();
      return true;
    } catch (err) {
      if (err instanceof RateLimitError) {
        l.notBefore = now() + err.retryAfter;
        return false;
      }
      const code = err instanceof DiscordAPIError ? err.code : undefined;
      if (
        code === RESTJSONErrorCodes.ThisMessageWasAlreadyCrossposted ||
        code === RESTJSONErrorCodes.UnknownMessage
      ) {
        // Published already (a retry), or deleted by a moderator: nothing left to publish.
        l.waiting.shift();
        return true;
      }
      const failure = surfaceFailure(err, 'crosspost', channelId, 0);
      if (failure.kind === 'paused') {
        l.paused = failure;
        deps.logger.warn('crossposting paused', { channelId, reason: failure.reason });
      } else if (failure.kind === 'retry') {
        l.notBefore = now() + failure.afterMs;
      } else {
        deps.logger.warn('crosspost refused', { channelId, reason: failure.reason });
        l.waiting.shift();
        return true;
      }
      return false;
    }
  }

  return {
    enqueue(channelId, messageId) {
      const l = lane(channelId);
      if (!l.waiting.includes(messageId)) l.waiting.push(messageId);
    },
    async drain() {
      for (const [channelId, l] of lanes) {
        if (l.paused || (l.notBefore !== undefined && now() < l.notBefore)) continue;
        l.notBefore = undefined;
        while (l.waiting.length > 0 && window(l).length < CROSSPOSTS_PER_HOUR) {
          if (!(await publishNext(channelId, l))) break;
        }
      }
    },
    status(channelId) {
      const l = lanes.get(channelId);
      if (!l) return { queued: 0 };
      const sent = window(l);
      const fullUntil =
        l.waiting.length > 0 && sent.length >= CROSSPOSTS_PER_HOUR ? sent[0]! + HOUR_MS : undefined;
      const next = Math.max(fullUntil ?? 0, l.notBefore ?? 0);
      return {
        queued: l.waiting.length,
        ...(next > now() ? { nextAt: new Date(next) } : {}),
        ...(l.paused ? { paused: l.paused } : {}),
      };
    },
    resume(channelId) {
      const l = lanes.get(channelId);
      if (l) l.paused = undefined;
    },
  };
}
