import {
  InteractionContextType,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { UserError } from '../src/errors';
import type { Command, Services } from '../src/discord/command';
import { sinceOption, topicOption } from '../src/discord/command-options';
import { guildOf, privateIf, topicChoices } from '../src/discord/interaction';
import {
  parsePageButton,
  renderBriefingPage,
  SOURCES_MENU_ID,
} from '../src/discord/render/briefing-page';
import { renderStorySources } from '../src/discord/render/story-sources';
import { MAX_LIMIT } from '../src/services/briefings';
import { INPUT_LIMITS } from '../src/services/validate';

export const data = new SlashCommandBuilder()
  .setName('briefing')
  .setDescription('Recent stories from the archive, newest first, each with its sources')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => topicOption(o, 'Topic (default: the topics this channel follows)', false))
  .addStringOption((o) => sinceOption(o, 'How far back, e.g. 24h or 7d (default 24h)'))
  .addStringOption((o) =>
    o
      .setName('text')
      .setDescription('Words or "a phrase" the items must contain')
      .setMaxLength(INPUT_LIMITS.text),
  )
  .addIntegerOption((o) =>
    o
      .setName('limit')
      .setDescription(`Stories (or items) per page (1-${MAX_LIMIT}, default 5)`)
      .setMinValue(1)
      .setMaxValue(MAX_LIMIT),
  )
  .addBooleanOption((o) =>
    o.setName('items').setDescription('Single items, each on its own, instead of stories'),
  )
  .addBooleanOption((o) => o.setName('private').setDescription('Only you see the answer'));

export async function execute(i: ChatInputCommandInteraction, ctx: Services) {
  await i.deferReply({ flags: privateIf(i.options.getBoolean('private') ?? false) });
  const page = await ctx.briefings.open({
    guildId: guildOf(i),
    channelId: i.channelId,
    topic: i.options.getString('topic') ?? undefined,
    since: i.options.getString('since') ?? undefined,
    text: i.options.getString('text') ?? undefined,
    limit: i.options.getInteger('limit') ?? undefined,
    items: i.options.getBoolean('items') ?? false,
  });
  await i.editReply(renderBriefingPage(page));
}

export async function autocomplete(i: AutocompleteInteraction, ctx: Services) {
  await i.respond(topicChoices(ctx.topics.suggest(guildOf(i), i.options.getFocused())));
}

/** Prev / Next: the same query, another page, in place. */
export async function button(i: ButtonInteraction, ctx: Services) {
  const target = parsePageButton(i.customId);
  if (!target) throw new UserError('These buttons have expired; run `/briefing` again.');
  await i.deferUpdate();
  await i.editReply(
    renderBriefingPage(await ctx.briefings.turn(guildOf(i), target.pagerId, target.page)),
  );
}

/** The sources menu: the chosen story's sources, shown only to the member who chose it. */
export async function select(i: StringSelectMenuInteraction, ctx: Services) {
  const storyId = i.customId === SOURCES_MENU_ID ? i.values[0] : undefined;
  if (!storyId) throw new UserError('This menu has expired; run `/briefing` again.');
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  await i.editReply(renderStorySources(await ctx.briefings.story(guildOf(i), storyId)));
}

export const command = { data, execute, autocomplete, button, select } satisfies Command;
