/**
 * Slash-command options that several commands share, written once so their names, limits and
 * wording stay the same everywhere (`topic` in /subscribe reads like `topic` in /topic test).
 */
import {
  ChannelType,
  type SlashCommandChannelOption,
  type SlashCommandStringOption,
} from 'discord.js';
import { INPUT_LIMITS } from '../services/validate';

/** `topic`: an existing topic, autocompleted. */
export const topicOption = (o: SlashCommandStringOption, description: string, required = true) =>
  o
    .setName('topic')
    .setDescription(description)
    .setRequired(required)
    .setAutocomplete(true)
    .setMaxLength(INPUT_LIMITS.topicRef);

/** `channel`: a text or announcement channel of this server; the current one when left out. */
export const channelOption = (o: SlashCommandChannelOption, description: string) =>
  o
    .setName('channel')
    .setDescription(description)
    .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement);

/** `since`: how far back, as a duration. */
export const sinceOption = (o: SlashCommandStringOption, description: string) =>
  o.setName('since').setDescription(description).setMaxLength(INPUT_LIMITS.since);
