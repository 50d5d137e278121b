import type { APIEmbed } from 'discord-api-types/v10';
import { oneLine, publishedDate, safeLink, type Briefing } from '../../delivery/briefing';
import { clip, DISCORD_LIMITS, embedLength, isBlank } from '../../delivery/discord-limits';
import { escapeMarkdown, neutraliseMentions } from '../../delivery/escape-markdown';
import { titleText } from '../../delivery/render-discord';

/** Room left for the header line and a safety margin below the 6000 total. */
const EMBEDS_BUDGET = DISCORD_LIMITS.embedTotal - 200;
const FOOTER_MAX = 200;

/** One item as a compact embed of at most `budget` characters: linked title, summary, source. */
function itemEmbed(b: Briefing, budget: number): APIEmbed {
  const embed: APIEmbed = {
    title: titleText(b, Math.min(DISCORD_LIMITS.title, Math.floor(budget / 3))),
  };
  const url = safeLink(b.item.link);
  if (url) embed.url = url;
  const source = [b.feedName, ...b.topics.map((t) => t.name)]
    .map(oneLine)
    .filter(Boolean)
    .join(' · ');
  const footer = clip(neutraliseMentions(source), Math.min(FOOTER_MAX, Math.floor(budget / 4)));
  if (!isBlank(footer)) embed.footer = { text: footer };
  const published = publishedDate(b.item);
  if (published) embed.timestamp = published.toISOString();
  const room = Math.min(DISCORD_LIMITS.description, budget - embedLength(embed));
  const description = room > 0 ? clip(escapeMarkdown(b.summary).trim(), room) : '';
  if (!isBlank(description)) embed.description = description;
  return embed;
}

/** Up to ten items as embeds that fit one message together, whatever the feeds sent. */
export function itemEmbeds(briefings: Briefing[]): APIEmbed[] {
  const shown = briefings.slice(0, DISCORD_LIMITS.embeds);
  const budget = Math.floor(EMBEDS_BUDGET / Math.max(1, shown.length));
  return shown.map((b) => itemEmbed(b, budget));
}
