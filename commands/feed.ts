import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { oneLine } from '../src/delivery/briefing';
import { clip } from '../src/delivery/discord-limits';
import { UserError } from '../src/errors';
import type { Command, Services } from '../src/discord/command';
import { guildOf } from '../src/discord/interaction';
import {
  renderFeedAdded,
  renderFeedList,
  renderFeedStatus,
  renderOpmlExport,
  renderOpmlImport,
} from '../src/discord/render/feeds';
import { textReply } from '../src/discord/render/reply';
import { code } from '../src/discord/render/topics';
import { INPUT_LIMITS } from '../src/services/validate';

export const data = new SlashCommandBuilder()
  .setName('feed')
  .setDescription("Manage this server's feeds")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('add')
      .setDescription('Follow a website (its feed is found) or a feed URL')
      .addStringOption((o) =>
        o
          .setName('url')
          .setDescription('https://…')
          .setRequired(true)
          .setMaxLength(INPUT_LIMITS.url),
      )
      .addStringOption((o) =>
        o
          .setName('name')
          .setDescription('Name shown as the source (default: the feed title)')
          .setMaxLength(INPUT_LIMITS.feedName),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription("Stop following one of this server's feeds")
      .addStringOption((o) =>
        o
          .setName('feed')
          .setDescription('The feed')
          .setRequired(true)
          .setAutocomplete(true)
          .setMaxLength(INPUT_LIMITS.feedId),
      ),
  )
  .addSubcommand((s) => s.setName('list').setDescription("This server's feeds and the bot's own"))
  .addSubcommand((s) =>
    s
      .setName('status')
      .setDescription('Last and next fetch, errors and backoff; channels I cannot post in'),
  )
  .addSubcommand((s) =>
    s
      .setName('import')
      .setDescription("Follow the feeds of an OPML file (a feed reader's export)")
      .addAttachmentOption((o) =>
        o.setName('file').setDescription('The .opml file').setRequired(true),
      ),
  )
  .addSubcommand((s) =>
    s.setName('export').setDescription("This server's own feeds as an OPML file"),
  );

export async function execute(i: ChatInputCommandInteraction, ctx: Services) {
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const guildId = guildOf(i);
  switch (i.options.getSubcommand()) {
    case 'add':
      return void (await i.editReply(
        renderFeedAdded(
          await ctx.feeds.add(
            guildId,
            i.user.id,
            i.options.getString('url', true),
            i.options.getString('name') ?? undefined,
          ),
        ),
      ));
    case 'remove': {
      const feed = await ctx.feeds.remove(guildId, i.options.getString('feed', true));
      return void (await i.editReply(
        textReply(`Stopped following ${code(feed.id, 64)}; its items stay in the archive.`),
      ));
    }
    case 'list':
      return void (await i.editReply(renderFeedList(ctx.feeds.list(guildId))));
    case 'status':
      return void (await i.editReply(
        renderFeedStatus(await ctx.feeds.status(guildId), ctx.names.topicName),
      ));
    case 'import': {
      const file = i.options.getAttachment('file', true);
      return void (await i.editReply(
        renderOpmlImport(
          await ctx.feeds.importOpml(guildId, i.user.id, {
            url: file.url,
            name: file.name,
            size: file.size,
          }),
        ),
      ));
    }
    case 'export':
      return void (await i.editReply(renderOpmlExport(ctx.feeds.exportOpml(guildId))));
    default:
      throw new UserError('Unknown subcommand.');
  }
}

export async function autocomplete(i: AutocompleteInteraction, ctx: Services) {
  const typed = i.options.getFocused().trim().toLowerCase();
  const feeds = ctx.feeds
    .list(guildOf(i))
    .guild.filter((f) => f.id.startsWith(typed) || f.name.toLowerCase().includes(typed));
  await i.respond(
    feeds
      .slice(0, 25)
      .map((f) => ({ name: clip(oneLine(`${f.id} — ${f.name}`), 100), value: f.id })),
  );
}

export const command = { data, execute, autocomplete } satisfies Command;
