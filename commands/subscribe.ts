import {
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { Command, Services } from '../src/discord/command';
import { channelOption, topicOption } from '../src/discord/command-options';
import { guildOf, topicChoices } from '../src/discord/interaction';
import { ensureCanPost, ensureChannelInGuild } from '../src/discord/permissions';
import { renderSubscribed } from '../src/discord/render/topics';
import { INPUT_LIMITS } from '../src/services/validate';

export const data = new SlashCommandBuilder()
  .setName('subscribe')
  .setDescription("Post a topic's new items in a channel")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => topicOption(o, 'The topic to follow'))
  .addChannelOption((o) => channelOption(o, 'Where to post (default: this channel)'))
  .addStringOption((o) =>
    o
      .setName('mode')
      .setDescription('Each item as it arrives, or a daily digest (default instant)')
      .addChoices({ name: 'instant', value: 'instant' }, { name: 'digest', value: 'digest' }),
  )
  .addStringOption((o) =>
    o
      .setName('digest_time')
      .setDescription('Digest time, HH:MM UTC (default 08:00)')
      .setMaxLength(INPUT_LIMITS.digestTime),
  )
  .addRoleOption((o) => o.setName('mention_role').setDescription('Role to ping with each post'));

export async function execute(i: ChatInputCommandInteraction, ctx: Services) {
  await i.deferReply();
  const guildId = guildOf(i);
  const channelId = i.options.getChannel('channel')?.id ?? i.channelId;
  ensureChannelInGuild(i.guild, channelId);
  ensureCanPost(i.guild, channelId);
  const result = await ctx.subscriptions.subscribe({
    guildId,
    channelId,
    topic: i.options.getString('topic', true),
    mode: i.options.getString('mode') ?? undefined,
    digestTime: i.options.getString('digest_time') ?? undefined,
    mentionRoleId: i.options.getRole('mention_role')?.id,
  });
  await i.editReply(renderSubscribed(result));
}

export async function autocomplete(i: AutocompleteInteraction, ctx: Services) {
  await i.respond(topicChoices(ctx.topics.suggest(guildOf(i), i.options.getFocused())));
}

export const command = { data, execute, autocomplete } satisfies Command;
