import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { Command, Services } from '../src/discord/command';
import { channelOption, topicOption } from '../src/discord/command-options';
import { guildOf, topicChoices } from '../src/discord/interaction';
import { textReply } from '../src/discord/render/reply';
import { code } from '../src/discord/render/topics';

export const data = new SlashCommandBuilder()
  .setName('unsubscribe')
  .setDescription('Stop posting a topic in a channel')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => topicOption(o, 'The topic to stop'))
  .addChannelOption((o) => channelOption(o, 'Which channel (default: this channel)'));

export async function execute(i: ChatInputCommandInteraction, ctx: Services) {
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const channelId = i.options.getChannel('channel')?.id ?? i.channelId;
  const topic = await ctx.subscriptions.unsubscribe(
    guildOf(i),
    channelId,
    i.options.getString('topic', true),
  );
  await i.editReply(textReply(`<#${channelId}> no longer follows ${code(topic.id, 64)}.`));
}

export async function autocomplete(i: AutocompleteInteraction, ctx: Services) {
  await i.respond(topicChoices(ctx.topics.suggest(guildOf(i), i.options.getFocused())));
}

export const command = { data, execute, autocomplete } satisfies Command;
