import type { APIEmbed } from 'discord-api-types/v10';
import type { Layout } from '../domain/layout';
import { oneLine, publishedDate, safeLink, type Briefing } from './briefing';
import { clip, DISCORD_LIMITS } from './discord-limits';
import { escapeMarkdown, linkTarget, neutraliseMentions } from './escape-markdown';
import {
  type DiscordMessage,
  mentionParts,
  relativeTime,
  type RenderDiscordOptions,
  renderDiscordMessage,
  titleText,
} from './render-discord';

/**
 * `**Title** · Source · <link>`: the link in angle brackets so Discord shows no preview, which
 * would undo the point of a compact line.
 */
export function renderCompact(b: Briefing, options: RenderDiscordOptions = {}): DiscordMessage {
  const mention = mentionParts(options.mentionRoleId);
  const link = safeLink(b.item.link);
  const tail = [escapeMarkdown(oneLine(b.feedName)), link ? `<${linkTarget(link)}>` : '']
    .filter(Boolean)
    .join(' · ');
  const lead = mention.content ? `${mention.content} ` : '';
  // The link is never clipped (a cut link is a broken one): the title gives way first.
  const room = DISCORD_LIMITS.content - lead.length - tail.length - ' · '.length - 4;
  const title = titleText(b, Math.max(1, Math.min(DISCORD_LIMITS.title, room)));
  const line = `${lead}**${title}**${tail ? ` · ${tail}` : ''}`;
  return { ...mention, content: clip(line, DISCORD_LIMITS.content) };
}

/** Title (linked), source and time; the picture as the embed's image. */
export function renderHeadline(b: Briefing, options: RenderDiscordOptions = {}): DiscordMessage {
  const embed: APIEmbed = { title: titleText(b, DISCORD_LIMITS.title) };
  const url = safeLink(b.item.link);
  if (url) embed.url = url;
  const source = neutraliseMentions(oneLine(b.feedName));
  if (source) embed.author = { name: clip(source, DISCORD_LIMITS.authorName) };
  const published = publishedDate(b.item);
  if (published) {
    embed.description = relativeTime(published);
    embed.timestamp = published.toISOString();
  }
  const image = safeLink(b.item.image);
  if (image) embed.image = { url: image };
  return { ...mentionParts(options.mentionRoleId), embeds: [embed] };
}

/** One briefing in the subscription's layout. */
export function renderInLayout(
  layout: Layout,
  b: Briefing,
  options: RenderDiscordOptions = {},
): DiscordMessage {
  switch (layout) {
    case 'card':
      return renderDiscordMessage(b, options);
    case 'compact':
      return renderCompact(b, options);
    case 'headline':
      return renderHeadline(b, options);
  }
}
