import type { APIEmbed } from 'discord-api-types/v10';
import { oneLine, publishedDate, safeLink } from '../../delivery/briefing';
import { clip, DISCORD_LIMITS, isBlank } from '../../delivery/discord-limits';
import { escapeMarkdown, neutraliseMentions } from '../../delivery/escape-markdown';
import { relativeTime, titleText } from '../../delivery/render-discord';
import { type ListedStory, sourcesCount } from '../../services/story-listing';
import { listText, type Reply } from './reply';

/** Room for the list of sources: the description's limit, less a margin for the "+N more" line. */
const LIST_MAX = DISCORD_LIMITS.description - 100;

/** One source: who carried it, its own headline, when, and its link (without a preview). */
function sourceLine(s: ListedStory['sources'][number]): string {
  const published = publishedDate(s);
  const link = safeLink(s.link);
  const title = clip(escapeMarkdown(oneLine(s.title)) || '(untitled)', 300);
  return [
    `**${clip(escapeMarkdown(oneLine(s.feedName)), 100)}** — ${title}`,
    published ? ` · ${relativeTime(published)}` : '',
    link ? `\n<${link}>` : '',
  ].join('');
}

/** A story's sources, for the one member who asked (the reply is ephemeral). */
export function renderStorySources(story: ListedStory): Reply {
  const headline = story.briefing;
  const embed: APIEmbed = { title: titleText(headline, DISCORD_LIMITS.title) };
  const url = safeLink(headline.item.link);
  if (url) embed.url = url;
  const list = listText(story.sources.map(sourceLine), LIST_MAX, (n) => `+${n} more`);
  const unnamed = story.atLeast ? '\n…and more sources, not listed' : '';
  const description = neutraliseMentions(`${list}${unnamed}`);
  if (!isBlank(description)) embed.description = description;
  const firstSeen = publishedDate({ publishedAt: story.firstSeen });
  embed.footer = { text: `${sourcesCount(story)}${firstSeen ? ' · first seen' : ''}` };
  if (firstSeen) embed.timestamp = firstSeen.toISOString();
  return { content: '', embeds: [embed], components: [], allowedMentions: { parse: [] } };
}
