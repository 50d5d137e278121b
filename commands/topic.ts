import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { UserError } from '../src/errors';
import type { Command, Services } from '../src/discord/command';
import { sinceOption, topicOption } from '../src/discord/command-options';
import { guildOf, topicChoices } from '../src/discord/interaction';
import { renderBacktest } from '../src/discord/render/backtest';
import { textReply } from '../src/discord/render/reply';
import { code, renderTopicSaved } from '../src/discord/render/topics';
import { INPUT_LIMITS } from '../src/services/validate';

export const data = new SlashCommandBuilder()
  .setName('topic')
  .setDescription("Manage this server's topics")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('add')
      .setDescription('Add a topic for this server')
      .addStringOption((o) =>
        o
          .setName('id')
          .setDescription('Short id: lowercase letters, digits, dashes')
          .setRequired(true)
          .setMaxLength(INPUT_LIMITS.topicId),
      )
      .addStringOption((o) =>
        o
          .setName('name')
          .setDescription('Name shown with each item')
          .setRequired(true)
          .setMaxLength(INPUT_LIMITS.topicName),
      )
      .addStringOption((o) =>
        o
          .setName('query')
          .setDescription('e.g. (gas OR oil) AND @central_asia')
          .setRequired(true)
          .setMaxLength(INPUT_LIMITS.query),
      )
      .addNumberOption((o) =>
        o
          .setName('min_score')
          .setDescription('Lowest score that counts as a match (default 2)')
          .setMinValue(0)
          .setMaxValue(100),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('edit')
      .setDescription("Change one of this server's topics")
      .addStringOption((o) => topicOption(o, 'The topic to change'))
      .addStringOption((o) =>
        o.setName('name').setDescription('New name').setMaxLength(INPUT_LIMITS.topicName),
      )
      .addStringOption((o) =>
        o.setName('query').setDescription('New query').setMaxLength(INPUT_LIMITS.query),
      )
      .addNumberOption((o) =>
        o.setName('min_score').setDescription('New lowest score').setMinValue(0).setMaxValue(100),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription("Remove one of this server's topics and its subscriptions")
      .addStringOption((o) => topicOption(o, 'The topic to remove')),
  )
  .addSubcommand((s) =>
    s
      .setName('test')
      .setDescription('Try a topic or a query on the archive')
      .addStringOption((o) => topicOption(o, 'An existing topic', false))
      .addStringOption((o) =>
        o.setName('query').setDescription('Or a query to try').setMaxLength(INPUT_LIMITS.query),
      )
      .addStringOption((o) => sinceOption(o, 'How far back, e.g. 7d (default 7d)')),
  );

export async function execute(i: ChatInputCommandInteraction, ctx: Services) {
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const guildId = guildOf(i);
  const opt = (name: string) => i.options.getString(name) ?? undefined;
  const minScore = i.options.getNumber('min_score') ?? undefined;
  switch (i.options.getSubcommand()) {
    case 'add': {
      const input = {
        name: i.options.getString('name', true),
        query: i.options.getString('query', true),
        minScore,
      };
      return void (await i.editReply(
        renderTopicSaved(
          await ctx.topics.add(guildId, i.user.id, i.options.getString('id', true), input),
          'added',
        ),
      ));
    }
    case 'edit': {
      const input = { name: opt('name'), query: opt('query'), minScore };
      return void (await i.editReply(
        renderTopicSaved(
          await ctx.topics.edit(guildId, i.user.id, i.options.getString('topic', true), input),
          'updated',
        ),
      ));
    }
    case 'remove': {
      const { entry, unsubscribed } = await ctx.topics.remove(
        guildId,
        i.user.id,
        i.options.getString('topic', true),
      );
      const subs = unsubscribed
        ? ` and its ${unsubscribed} subscription${unsubscribed === 1 ? '' : 's'}`
        : '';
      return void (await i.editReply(textReply(`Removed topic ${code(entry.id, 64)}${subs}.`)));
    }
    case 'test':
      return void (await i.editReply(
        renderBacktest(
          await ctx.backtest.run({
            guildId,
            topic: opt('topic'),
            query: opt('query'),
            since: opt('since'),
          }),
        ),
      ));
    default:
      throw new UserError('Unknown subcommand.');
  }
}

export async function autocomplete(i: AutocompleteInteraction, ctx: Services) {
  const guildId = guildOf(i);
  const own = i.options.getSubcommand() === 'edit' || i.options.getSubcommand() === 'remove';
  const topics = ctx.topics.suggest(guildId, i.options.getFocused());
  await i.respond(topicChoices(own ? topics.filter((t) => t.scope === 'guild') : topics));
}

export const command = { data, execute, autocomplete } satisfies Command;
