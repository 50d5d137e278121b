import type { APIEmbed } from 'discord-api-types/v10';
import { oneLine, safeLink } from './briefing';
import { clip, DISCORD_LIMITS, embedLength } from './discord-limits';
import { escapeMarkdown, markdownLink, neutraliseMentions } from './escape-markdown';
import { type DiscordMessage, UNTITLED } from './render-discord';

export const SOURCES_FIELD = 'Also reported by';

/** Where a line of text (a compact layout) lists the sources: Discord's small-text line. */
const SOURCES_LINE = `\n-# ${SOURCES_FIELD}: `;

/**
 * The message listing the story's other sources ("Kazinform · UN News · +3"), replacing any
 * earlier list. In an embed they are a field of their own, and the description gives up what the
 * field needs, so the embed stays within Discord's 6000-character total however long the list. A
 * message of text alone (a compact line) gains a small-text line under it, clipped to fit.
 */
export function withSources(message: DiscordMessage, others: string | undefined): DiscordMessage {
  if (others === undefined) return message;
  const [first, ...rest] = message.embeds ?? [];
  const names = neutraliseMentions(escapeMarkdown(oneLine(others)));
  if (!first)
    return message.content ? { ...message, content: withLine(message.content, names) } : message;
  const value = clip(names, DISCORD_LIMITS.fieldValue);
  const fields = [
    ...(first.fields ?? []).filter((f) => f.name !== SOURCES_FIELD),
    { name: SOURCES_FIELD, value },
  ];
  const embed: APIEmbed = { ...first, fields };
  const over = embedLength(embed) - DISCORD_LIMITS.embedTotal;
  if (over > 0 && embed.description)
    embed.description = clip(embed.description, Math.max(0, embed.description.length - over));
  return { ...message, embeds: [embed, ...rest] };
}

function withLine(content: string, names: string): string {
  const text = content.split(SOURCES_LINE)[0] ?? content;
  const room = DISCORD_LIMITS.content - text.length - SOURCES_LINE.length;
  return room > 0 ? `${text}${SOURCES_LINE}${clip(names, room)}` : text;
}

/** A later source as a reply names it: its headline (linked) and its feed. */
export interface LaterSource {
  title: string;
  feedName: string;
  link?: string;
}

/** Per-line caps keep any number of sources inside one embed description. */
const SOURCE_TITLE_MAX = 200;
const SOURCE_LINK_MAX = 512;

/**
 * The story's later sources as one message in its forum post or thread ("Also reported by" and
 * a line per source), where a reply tells them instead of an edit of the first message. Lines
 * that no longer fit are counted ("+2 more").
 */
export function renderLaterSources(sources: LaterSource[]): DiscordMessage {
  const lines = sources.map((s) => {
    const title = clip(escapeMarkdown(oneLine(s.title)), SOURCE_TITLE_MAX) || UNTITLED;
    const href = safeLink(s.link);
    const headline = href && href.length <= SOURCE_LINK_MAX ? markdownLink(title, href) : title;
    return `• ${headline} · ${clip(escapeMarkdown(oneLine(s.feedName)), 100)}`;
  });
  const room = DISCORD_LIMITS.description - 20;
  const shown: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > room) break;
    shown.push(line);
    length += line.length + 1;
  }
  const rest = lines.length - shown.length;
  return {
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: SOURCES_FIELD,
        description: [...shown, ...(rest > 0 ? [`+${rest} more`] : [])].join('\n'),
      },
    ],
  };
}
