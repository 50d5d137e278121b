import type { APIEmbed } from 'discord-api-types/v10';
import { oneLine, publishedDate, safeLink, type Briefing } from '../../delivery/briefing';
import { clip, DISCORD_LIMITS, embedLength, isBlank } from '../../delivery/discord-limits';
import { escapeMarkdown, neutraliseMentions } from '../../delivery/escape-markdown';
import { titleText } from '../../delivery/render-discord';
import { alsoReportedBy } from '../../delivery/story-briefing';

/** Room left for the header line and a safety margin below the 6000 total. */
const EMBEDS_BUDGET = DISCORD_LIMITS.embedTotal - 200;
const FOOTER_MAX = 200;

/**
 * One item as a compact embed of at most `budget` characters: linked title, summary, source, and
 * `note` beside the source (a story's "3 sources"). A story's other sources are named at the end
 * of the description, which gives up what they need.
 */
function itemEmbed(b: Briefing, budget: number, note?: string): APIEmbed {
  const embed: APIEmbed = {
    title: titleText(b, Math.min(DISCORD_LIMITS.title, Math.floor(budget / 3))),
  };
  const url = safeLink(b.item.link);
  if (url) embed.url = url;
  const source = [b.feedName, note ?? '', ...b.topics.map((t) => t.name)]
    .map(oneLine)
    .filter(Boolean)
    .join(' · ');
  const footer = clip(neutraliseMentions(source), Math.min(FOOTER_MAX, Math.floor(budget / 4)));
  if (!isBlank(footer)) embed.footer = { text: footer };
  const published = publishedDate(b.item);
  if (published) embed.timestamp = published.toISOString();
  const room = Math.min(DISCORD_LIMITS.description, budget - embedLength(embed));
  const others = alsoReportedBy(b.story, b.item.key);
  const also = others
    ? clip(
        `Also reported by: ${neutraliseMentions(escapeMarkdown(oneLine(others)))}`,
        Math.floor(room / 2),
      )
    : '';
  const summary = clip(escapeMarkdown(b.summary).trim(), Math.max(0, room - also.length - 2));
  const description = room > 0 ? [summary, also].filter((t) => !isBlank(t)).join('\n\n') : '';
  if (!isBlank(description)) embed.description = description;
  return embed;
}

/**
 * Up to ten items as embeds that fit one message together, whatever the feeds sent; `notes[i]`
 * goes beside the source of the i-th.
 */
export function itemEmbeds(
  briefings: Briefing[],
  notes: Array<string | undefined> = [],
): APIEmbed[] {
  const shown = briefings.slice(0, DISCORD_LIMITS.embeds);
  const budget = Math.floor(EMBEDS_BUDGET / Math.max(1, shown.length));
  return shown.map((b, i) => itemEmbed(b, budget, notes[i]));
}
