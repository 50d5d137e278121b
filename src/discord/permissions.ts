import { PermissionFlagsBits, type Guild } from 'discord.js';
import { UserError } from '../errors';
import { type Surface, surfacePaused } from './surface-pause';

/** What posting a briefing takes in a channel (the invite URL asks for the same three). */
export const POST_PERMISSIONS = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
] as const;

/**
 * Refuses a channel the bot cannot post in, naming what is missing, so an admin learns it when
 * subscribing rather than from a paused subscription later. When the cache cannot tell (no
 * channel or member cached), it lets the subscription through: the sink's 403 handling covers it.
 */
export function ensureCanPost(guild: Guild | null, channelId: string): void {
  const channel = guild?.channels.cache.get(channelId);
  const me = guild?.members.me;
  if (!guild || !channel) return;
  if (!me) return;
  const perms = channel.permissionsFor(me);
  const missing = POST_PERMISSIONS.filter(([, bit]) => !perms.has(bit)).map(([name]) => name);
  if (missing.length > 0)
    throw new UserError(`I cannot post in <#${channelId}>: I need ${missing.join(', ')} there.`);
}

/** The channel must belong to the server the command came from. */
export function ensureChannelInGuild(guild: Guild | null, channelId: string): void {
  if (guild && !guild.channels.cache.has(channelId))
    throw new UserError(`<#${channelId}> is not a channel of this server.`);
}

/** What each surface needs beyond posting; a forum needs only posting (tags it cannot add are left off). */
const SURFACE_FLAGS: Record<Surface, ReadonlyArray<readonly [string, bigint]>> = {
  forum: [],
  thread: [
    ['Create Public Threads', PermissionFlagsBits.CreatePublicThreads],
    ['Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
  ],
  crosspost: [],
  webhook: [['Manage Webhooks', PermissionFlagsBits.ManageWebhooks]],
};

/**
 * The surfaces the bot lacks a permission for in the channel, each with the sentence an admin
 * sees at /subscribe and in /topics. Empty when the cache cannot tell (as for `ensureCanPost`).
 */
export function refusedSurfaces(
  guild: Guild | null,
  channelId: string,
  surfaces: readonly Surface[],
): Array<{ surface: Surface; reason: string }> {
  const channel = guild?.channels.cache.get(channelId);
  const me = guild?.members.me;
  if (!channel || !me) return [];
  const perms = channel.permissionsFor(me);
  return surfaces.flatMap((surface) => {
    const missing = SURFACE_FLAGS[surface].filter(([, bit]) => !perms.has(bit)).map(([n]) => n);
    return missing.length
      ? [
          {
            surface,
            reason: surfacePaused(surface, channelId, `I lack ${missing.join(', ')}`).reason,
          },
        ]
      : [];
  });
}
