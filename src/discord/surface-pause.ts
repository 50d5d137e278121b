import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { SendResult } from '../delivery/sink';
import type { SurfaceName } from '../store/subscriptions';
import { classifyPostError } from './post-message';

/** The ways a briefing can appear besides a plain message in a text channel. */
export type Surface = SurfaceName;

/**
 * What each surface needs in its channel, in the names Discord's settings show. Posting itself
 * (View Channel, Send Messages, Embed Links) comes first everywhere; docs/discord.md lists the same.
 */
export const SURFACE_PERMISSIONS: Record<Surface, readonly string[]> = {
  forum: ['Send Messages (Create Posts)', 'Embed Links', 'Manage Channels (to add topic tags)'],
  thread: ['Create Public Threads', 'Send Messages in Threads'],
  crosspost: ['Send Messages (the bot publishes only its own messages)'],
  webhook: ['Manage Webhooks'],
};

const SURFACE_NAMES: Record<Surface, string> = {
  forum: 'Forum posts',
  thread: 'Threads on briefings',
  crosspost: 'Publishing to following servers',
  webhook: 'Posting under the subscription’s own name',
};

/**
 * A surface Discord refuses us in a channel: shown to admins (in status output and the notice)
 * and kept on the subscription until a retry succeeds. Assignable to the sink's `paused` result.
 */
export interface SurfacePaused {
  kind: 'paused';
  surface: Surface;
  channelId: string;
  /** A sentence for an admin: what stopped, where, and which permissions to grant. */
  reason: string;
}

export function surfacePaused(surface: Surface, channelId: string, refusal: string): SurfacePaused {
  return {
    kind: 'paused',
    surface,
    channelId,
    reason: `${SURFACE_NAMES[surface]} in <#${channelId}>: paused, ${refusal}. The bot needs ${SURFACE_PERMISSIONS[surface].join(', ')} there.`,
  };
}

/** Discord's "you may not" answers, as opposed to "this request is wrong" or "try later". */
export function isPermissionRefusal(err: unknown): err is DiscordAPIError {
  return (
    err instanceof DiscordAPIError &&
    (err.code === RESTJSONErrorCodes.MissingPermissions ||
      err.code === RESTJSONErrorCodes.MissingAccess)
  );
}

/** A failed surface call as a send result: a permission refusal pauses the surface, the rest as for posts. */
export function surfaceFailure(
  err: unknown,
  surface: Surface,
  channelId: string,
  attempts: number,
): Exclude<SendResult, { kind: 'sent' | 'paused' }> | SurfacePaused {
  if (isPermissionRefusal(err))
    return surfacePaused(surface, channelId, `Discord refused (${err.message}, ${err.code})`);
  const result = classifyPostError(err, attempts);
  return result.kind === 'paused' ? surfacePaused(surface, channelId, result.reason) : result;
}
