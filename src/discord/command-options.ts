/**
 * Slash-command options that several commands share, written once so their names, limits and
 * wording stay the same everywhere (`topic` in /subscribe reads like `topic` in /topic test).
 */
import {
  ChannelType,
  type SlashCommandChannelOption,
  type SlashCommandStringOption,
} from 'discord.js';
import type { ChannelKind } from '../services/subscriptions';
import { INPUT_LIMITS } from '../services/validate';

/** `topic`: an existing topic, autocompleted. */
export const topicOption = (o: SlashCommandStringOption, description: string, required = true) =>
  o
    .setName('topic')
    .setDescription(description)
    .setRequired(required)
    .setAutocomplete(true)
    .setMaxLength(INPUT_LIMITS.topicRef);

/**
 * `channel`: a text or announcement channel of this server (or a forum, where briefings can go
 * as posts); the current one when left out.
 */
export const channelOption = (
  o: SlashCommandChannelOption,
  description: string,
  { forum = false } = {},
) =>
  o
    .setName('channel')
    .setDescription(description)
    .addChannelTypes(
      ChannelType.GuildText,
      ChannelType.GuildAnnouncement,
      ...(forum ? [ChannelType.GuildForum as const] : []),
    );

/** The kind of channel a briefing goes to, as the subscription service needs to know it. */
export function channelKind(type: ChannelType | undefined): ChannelKind {
  if (type === ChannelType.GuildForum) return 'forum';
  if (type === ChannelType.GuildAnnouncement) return 'announcement';
  return 'text';
}

/** `since`: how far back, as a duration. */
export const sinceOption = (o: SlashCommandStringOption, description: string) =>
  o.setName('since').setDescription(description).setMaxLength(INPUT_LIMITS.since);
