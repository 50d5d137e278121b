import { foldedHeadline, oneLine, safeLink, type Briefing } from './briefing';
import { clip, DISCORD_LIMITS } from './discord-limits';
import { escapeMarkdown, linkTarget } from './escape-markdown';
import { type DiscordMessage, mentionParts, titleText } from './render-discord';

/** Per-line caps keep a line far below a message, so packing always makes progress. */
const LINE_TITLE_MAX = 200;
const LINE_SOURCE_MAX = 100;
/** A longer link leaves its line without one rather than eat the message. */
const LINE_LINK_MAX = 512;

/** `• **Title** · Source · <link>`: the compact layout's line, its link without a preview. */
export function compactDigestLine(b: Briefing): string {
  const source = clip(escapeMarkdown(oneLine(b.feedName)), LINE_SOURCE_MAX);
  if (b.folded) return `• ${clip(foldedHeadline(b, source), LINE_TITLE_MAX)}`;
  const href = safeLink(b.item.link);
  const parts = [`**${titleText(b, LINE_TITLE_MAX)}**`, source];
  if (href && href.length <= LINE_LINK_MAX) parts.push(`<${linkTarget(href)}>`);
  return `• ${parts.filter(Boolean).join(' · ')}`;
}

/**
 * A digest for compact subscriptions: plain text messages of lines (no embeds, no link
 * previews), the heading and any role ping in the first, at most `maxMessages` of them; past
 * that the last line is `more`'s "+N more" (N counts the lines not shown).
 */
export function renderCompactDigest(
  lines: string[],
  options: {
    heading: string;
    mentionRoleId?: string;
    maxMessages: number;
    more: (count: number) => string;
  },
): DiscordMessage[] {
  const mention = mentionParts(options.mentionRoleId);
  const first = [mention.content, `**${options.heading}**`].filter(Boolean).join('\n');
  const room = DISCORD_LIMITS.content;
  // The longest "+N more" line, kept free in the last message: N only shrinks as lines are shown.
  const reserve = 1 + options.more(lines.length).length;
  const pages: string[][] = [[first]];
  const withLine = (page: string[], line: string) => page.join('\n').length + 1 + line.length;
  let shown = 0;
  for (const line of lines) {
    let page = pages.at(-1)!;
    if (withLine(page, line) > room) {
      if (pages.length === options.maxMessages) break;
      page = [];
      pages.push(page);
    }
    const final = shown === lines.length - 1;
    if (pages.length === options.maxMessages && !final && withLine(page, line) + reserve > room)
      break;
    page.push(line);
    shown += 1;
  }
  if (shown < lines.length) pages.at(-1)!.push(options.more(lines.length - shown));
  return pages.map((page, i) => ({
    ...(i === 0 ? mention : { allowed_mentions: { parse: [] } }),
    content: page.join('\n'),
  }));
}
