import {
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { Command, Services } from '../src/discord/command';
import { channelKind, channelOption, topicOption } from '../src/discord/command-options';
import { guildOf, topicChoices } from '../src/discord/interaction';
import { ensureCanPost, ensureChannelInGuild, refusedSurfaces } from '../src/discord/permissions';
import { AUTO_ARCHIVE_MINUTES } from '../src/services/surface-rules';
import { renderSubscribed } from '../src/discord/render/topics';
import type { Surface } from '../src/discord/surface-pause';
import { WEBHOOK_NAME_MAX } from '../src/services/surface-rules';
import { LAYOUTS } from '../src/domain/layout';
import { CARD_TEMPLATE_MAX } from '../src/services/subscriptions';
import { INPUT_LIMITS } from '../src/services/validate';

const ARCHIVE_LABELS: Record<(typeof AUTO_ARCHIVE_MINUTES)[number], string> = {
  60: '1 hour',
  1440: '1 day',
  4320: '3 days',
  10080: '1 week',
};

export const data = new SlashCommandBuilder()
  .setName('subscribe')
  .setDescription("Post a topic's new items in a channel")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => topicOption(o, 'The topic to follow'))
  .addChannelOption((o) =>
    channelOption(o, 'Where to post (default: this channel); a forum gets one post per briefing', {
      forum: true,
    }),
  )
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
  .addRoleOption((o) => o.setName('mention_role').setDescription('Role to ping with each post'))
  .addStringOption((o) =>
    o
      .setName('layout')
      .setDescription('card (full embed, default), compact (one line) or headline')
      .addChoices(...LAYOUTS.map((l) => ({ name: l, value: l }))),
  )
  .addBooleanOption((o) =>
    o.setName('thread').setDescription('Open a discussion thread on each briefing'),
  )
  .addIntegerOption((o) =>
    o
      .setName('auto_archive')
      .setDescription('When an idle thread archives (default 3 days)')
      .setMinValue(AUTO_ARCHIVE_MINUTES[0])
      .setMaxValue(AUTO_ARCHIVE_MINUTES[AUTO_ARCHIVE_MINUTES.length - 1]!)
      .addChoices(...AUTO_ARCHIVE_MINUTES.map((m) => ({ name: ARCHIVE_LABELS[m], value: m }))),
  )
  .addBooleanOption((o) =>
    o.setName('publish').setDescription('Announcement channel: publish each briefing to followers'),
  )
  .addStringOption((o) =>
    o
      .setName('webhook_name')
      .setDescription('Post through a webhook under this name')
      .setMaxLength(WEBHOOK_NAME_MAX),
  )
  .addStringOption((o) =>
    o
      .setName('avatar_url')
      .setDescription('The webhook posts with this avatar (https URL)')
      .setMaxLength(INPUT_LIMITS.url),
  )
  .addStringOption((o) =>
    o
      .setName('card_template')
      .setDescription("This server's card text, e.g. {source}: {summary} ('default' resets)")
      .setMaxLength(CARD_TEMPLATE_MAX),
  );

export async function execute(i: ChatInputCommandInteraction, ctx: Services) {
  await i.deferReply();
  const guildId = guildOf(i);
  const picked = i.options.getChannel('channel');
  const channelId = picked?.id ?? i.channelId;
  ensureChannelInGuild(i.guild, channelId);
  ensureCanPost(i.guild, channelId);
  const kind = channelKind(picked?.type ?? i.channel?.type);
  const webhookName = i.options.getString('webhook_name') ?? undefined;
  const avatarUrl = i.options.getString('avatar_url') ?? undefined;
  const thread = i.options.getBoolean('thread') ?? false;
  const surfaces: Surface[] = [
    ...(thread ? (['thread'] as const) : []),
    ...(webhookName !== undefined || avatarUrl !== undefined ? (['webhook'] as const) : []),
  ];
  const result = await ctx.subscriptions.subscribe({
    guildId,
    channelId,
    topic: i.options.getString('topic', true),
    mode: i.options.getString('mode') ?? undefined,
    digestTime: i.options.getString('digest_time') ?? undefined,
    mentionRoleId: i.options.getRole('mention_role')?.id,
    channelKind: kind,
    layout: i.options.getString('layout') ?? undefined,
    thread,
    autoArchiveMinutes: i.options.getInteger('auto_archive') ?? undefined,
    publish: i.options.getBoolean('publish') ?? false,
    webhookName,
    avatarUrl,
    refused: refusedSurfaces(i.guild, channelId, surfaces),
    cardTemplate: i.options.getString('card_template') ?? undefined,
  });
  await i.editReply(renderSubscribed(result));
}

export async function autocomplete(i: AutocompleteInteraction, ctx: Services) {
  await i.respond(topicChoices(ctx.topics.suggest(guildOf(i), i.options.getFocused())));
}

export const command = { data, execute, autocomplete } satisfies Command;
