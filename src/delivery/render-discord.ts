import type {
  APIEmbed,
  APIEmbedField,
  RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import {
  foldedHeadline,
  oneLine,
  publishedDate,
  safeLink,
  type Briefing,
  type BriefingTopic,
} from './briefing';
import { fillCardTemplate } from './card-template';
import { clip, DISCORD_LIMITS, embedLength, isBlank } from './discord-limits';
import { escapeMarkdown, neutraliseMentions } from './escape-markdown';

/** The JSON body of POST /channels/:id/messages. */
export type DiscordMessage = RESTPostAPIChannelMessageJSONBody;

export interface RenderDiscordOptions {
  /** Role to ping, from the subscription (never from feed text). @default no ping */
  mentionRoleId?: string;
  /** The server's card text, already checked by `cardTemplateProblems`. @default the summary */
  template?: string;
  /** The topic a folded message's `/briefing` hint names (unscoped id). @default none */
  topicId?: string;
}

export const UNTITLED = '(untitled)';

/**
 * Topic names are operator text and short; a footer of 256 leaves the description its full 4096
 * within the 6000 total (256 title + 256 author + 1024+7 matched + ~40 published + 256 footer).
 */
const FOOTER_BUDGET = 256;
const SNOWFLAKE = /^\d{17,20}$/;

/**
 * Who a message may ping: nobody, unless the subscription names a role, and then only that
 * role, by id, in `content` (mentions in embeds never ping).
 */
export function mentionParts(
  roleId: string | undefined,
): Pick<DiscordMessage, 'content' | 'allowed_mentions'> {
  if (roleId === undefined || roleId === '') return { allowed_mentions: { parse: [] } };
  if (!SNOWFLAKE.test(roleId)) {
    throw new RangeError(`Mention role id is not a Discord snowflake: ${JSON.stringify(roleId)}`);
  }
  return { content: `<@&${roleId}>`, allowed_mentions: { parse: [], roles: [roleId] } };
}

/** `<t:UNIX:R>`: Discord shows it as "3 hours ago" in each reader's own time zone. */
export const relativeTime = (date: Date) => `<t:${Math.floor(date.getTime() / 1000)}:R>`;

/** Escaped, one-line title, clipped to `max`; never empty. */
export function titleText(b: Briefing, max: number): string {
  return clip(escapeMarkdown(oneLine(b.item.title)) || UNTITLED, max);
}

/** One line per topic: why it matched, or the topic's name when the matcher gave no reason. */
function matchedText(topics: BriefingTopic[]): string {
  const lines = topics
    .map((t) => escapeMarkdown(oneLine(t.why) || oneLine(t.name)))
    .filter((l) => !isBlank(l));
  return [...new Set(lines)].join('\n');
}

/** A flood told as one short embed: how many items, from where, and the command that lists them. */
function foldedMessage(b: Briefing, options: RenderDiscordOptions): DiscordMessage {
  const feed = escapeMarkdown(neutraliseMentions(oneLine(b.feedName)));
  // Inside a code span escapes would show; a backtick is the one character that could end it.
  const topic = options.topicId ? ` topic:${oneLine(options.topicId).replace(/`/g, '')}` : '';
  const description = clip(
    `⚠️ ${foldedHeadline(b, `**${feed}**`)} at once: more than this channel is sent one by one. \`/briefing${topic} since:1d\` lists them.`,
    DISCORD_LIMITS.description,
  );
  return { ...mentionParts(options.mentionRoleId), embeds: [{ description }] };
}

/** One briefing as one embed, within every Discord limit whatever the feed sent. */
export function renderDiscordMessage(
  b: Briefing,
  options: RenderDiscordOptions = {},
): DiscordMessage {
  if (b.folded) return foldedMessage(b, options);
  const embed: APIEmbed = { title: titleText(b, DISCORD_LIMITS.title) };
  const url = safeLink(b.item.link);
  if (url) embed.url = url;

  const image = safeLink(b.item.image);
  if (image) embed.thumbnail = { url: image };

  const source = neutraliseMentions(oneLine(b.feedName));
  if (source) embed.author = { name: clip(source, DISCORD_LIMITS.authorName) };

  const fields: APIEmbedField[] = [];
  const matched = matchedText(b.topics);
  const published = publishedDate(b.item);
  if (matched) fields.push({ name: 'Matched', value: clip(matched, DISCORD_LIMITS.fieldValue) });
  if (published) {
    fields.push({ name: 'Published', value: relativeTime(published), inline: true });
    embed.timestamp = published.toISOString();
  }
  if (fields.length) embed.fields = fields;

  const topicNames = neutraliseMentions(
    oneLine(
      b.topics
        .map((t) => oneLine(t.name))
        .filter(Boolean)
        .join(' · '),
    ),
  );
  if (topicNames) embed.footer = { text: clip(topicNames, FOOTER_BUDGET) };

  // The description is added last and takes what the total leaves, so the embed fits by construction.
  const room = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedTotal - embedLength(embed));
  const description = options.template
    ? fillCardTemplate(
        options.template,
        b,
        { why: matched, published: published ? relativeTime(published) : '' },
        room,
      )
    : clip(escapeMarkdown(b.summary).trim(), room);
  if (!isBlank(description)) embed.description = description;

  return { ...mentionParts(options.mentionRoleId), embeds: [embed] };
}
