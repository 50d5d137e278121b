import type { APIEmbed } from 'discord-api-types/v10';
import { foldedHeadline, oneLine, publishedDate, safeLink, type Briefing } from './briefing';
import { clip, DISCORD_LIMITS } from './discord-limits';
import { escapeMarkdown, markdownLink } from './escape-markdown';
import { mentionParts, relativeTime, titleText, type DiscordMessage } from './render-discord';
import { alsoReportedBy } from './story-briefing';
import type { Layout } from '../domain/layout';
import { compactDigestLine, renderCompactDigest } from './render-digest-compact';

export interface DigestOptions {
  topicName: string;
  topicId: string;
  /** How far back the digest reaches, as the `/briefing since:` option spells it, e.g. "24h". */
  sinceLabel: string;
  /** Role to ping in the first message, from the subscription. @default no ping */
  mentionRoleId?: string;
  /**
   * The subscription's layout. A digest is a list of headlines whatever the layout: `card` and
   * `headline` get embeds of linked titles with source and time; `compact` gets plain text
   * lines like its single posts, without embeds or link previews. @default 'card'
   */
  layout?: Layout;
}

/** More than this many messages for one digest is flooding; the rest is one command away. */
export const DIGEST_MAX_MESSAGES = 3;

/**
 * Per-line caps keep one line far below an embed description, so packing always makes progress;
 * a link longer than LINE_LINK_MAX leaves its title unlinked rather than eat the digest.
 */
const LINE_TITLE_MAX = 200;
const LINE_SOURCE_MAX = 100;
const LINE_LINK_MAX = 512;
const MORE_LINE_MAX = 300;

function digestLine(b: Briefing): string {
  if (b.folded)
    return `• ${clip(foldedHeadline(b, escapeMarkdown(oneLine(b.feedName))), LINE_TITLE_MAX)}`;
  const title = titleText(b, LINE_TITLE_MAX);
  const href = safeLink(b.item.link);
  const parts = [href && href.length <= LINE_LINK_MAX ? markdownLink(title, href) : title];
  const source = clip(escapeMarkdown(oneLine(b.feedName)), LINE_SOURCE_MAX);
  if (source) parts.push(source);
  // A story is one line, whoever else carried it.
  const others = alsoReportedBy(b.story, b.item.key);
  if (others) parts.push(clip(escapeMarkdown(`also ${oneLine(others)}`), LINE_SOURCE_MAX));
  const published = publishedDate(b.item);
  if (published) parts.push(relativeTime(published));
  return `• ${parts.join(' · ')}`;
}

/** Newest first; items without a usable date go last, in the order given. */
function newestFirst(briefings: Briefing[]): Briefing[] {
  const time = (b: Briefing) => publishedDate(b.item)?.getTime() ?? -Infinity;
  // Two undated items give -Infinity - -Infinity = NaN, which must read as "equal".
  return [...briefings].sort((a, b) => time(b) - time(a) || 0);
}

/** Lines per embed, embeds per message. */
type Pages = string[][][];

/**
 * Greedy packing: fill an embed's description, then another embed of the same message, then a
 * new message; a message ends only when the next line fits nowhere in it. `overhead` is what the
 * first message already holds (its title); the last allowed message keeps `reserve` characters
 * free, in each embed and in its total, for the "+N more" line.
 */
function pack(lines: string[], overhead: number, reserve: number, maxMessages: number): Pages {
  const pages: Pages = [];
  let total = 0;
  let embedLen = 0;
  for (const line of lines) {
    const page = pages.at(-1);
    const embed = page?.at(-1);
    const slack = pages.length === maxMessages ? reserve : 0;
    const totalRoom = DISCORD_LIMITS.embedTotal - slack - total;
    if (
      embed &&
      embedLen + 1 + line.length <= DISCORD_LIMITS.description - slack &&
      1 + line.length <= totalRoom
    ) {
      embed.push(line);
      embedLen += 1 + line.length;
      total += 1 + line.length;
    } else if (page && page.length < DISCORD_LIMITS.embeds && line.length <= totalRoom) {
      page.push([line]);
      embedLen = line.length;
      total += line.length;
    } else if (pages.length < maxMessages) {
      pages.push([[line]]);
      embedLen = line.length;
      total = (pages.length === 1 ? overhead : 0) + line.length;
    } else {
      break;
    }
  }
  return pages;
}

function moreLine(count: number, options: DigestOptions): string {
  const command = `/briefing topic:${oneLine(options.topicId)} since:${oneLine(options.sinceLabel)}`;
  return clip(escapeMarkdown(`+${count} more — ${command}`), MORE_LINE_MAX);
}

/**
 * Many briefings of one topic as few messages as Discord's limits allow, newest first, one line
 * each. Past `DIGEST_MAX_MESSAGES` the last message ends with "+N more — /briefing …", so the
 * lines shown plus N is always the number of briefings. No briefings, no messages.
 */
export function renderDigest(briefings: Briefing[], options: DigestOptions): DiscordMessage[] {
  if (briefings.length === 0) return [];
  const heading = oneLine(`${options.topicName} — last ${options.sinceLabel}`);
  const title = clip(escapeMarkdown(heading), DISCORD_LIMITS.title);
  if (options.layout === 'compact')
    return renderCompactDigest(newestFirst(briefings).map(compactDigestLine), {
      heading: title,
      mentionRoleId: options.mentionRoleId,
      maxMessages: DIGEST_MAX_MESSAGES,
      more: (count) => moreLine(count, options),
    });
  const lines = newestFirst(briefings).map(digestLine);

  let pages = pack(lines, title.length, 0, Infinity);
  if (pages.length > DIGEST_MAX_MESSAGES) {
    // Reserve room for the longest "+N more" line: N only shrinks as more lines are shown.
    const reserve = 1 + moreLine(lines.length, options).length;
    pages = pack(lines, title.length, reserve, DIGEST_MAX_MESSAGES);
    const shown = pages.flat().reduce((n, embed) => n + embed.length, 0);
    pages
      .at(-1)
      ?.at(-1)
      ?.push(moreLine(lines.length - shown, options));
  }

  return pages.map((page, i) => {
    const embeds: APIEmbed[] = page.map((embedLines) => ({ description: embedLines.join('\n') }));
    if (i === 0 && embeds[0]) embeds[0].title = title;
    return { ...mentionParts(i === 0 ? options.mentionRoleId : undefined), embeds };
  });
}
