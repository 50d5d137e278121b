import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { Command, Services } from '../src/discord/command';
import { guildOf } from '../src/discord/interaction';
import { renderTopics } from '../src/discord/render/topics';

export const data = new SlashCommandBuilder()
  .setName('topics')
  .setDescription("Every topic with its query, and this server's subscriptions")
  .setContexts(InteractionContextType.Guild);

export async function execute(i: ChatInputCommandInteraction, ctx: Services) {
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const guildId = guildOf(i);
  await i.editReply(
    renderTopics(
      ctx.topics.list(guildId),
      await ctx.subscriptions.forGuild(guildId),
      ctx.names.topicName,
      await ctx.subscriptions.cardTemplate(guildId),
    ),
  );
}

export const command = { data, execute } satisfies Command;
