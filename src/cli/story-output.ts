import { oneLine, safeLink } from '../delivery/briefing';
import { type ConsoleOptions, jsonLine, renderConsoleBlock } from '../delivery/render-console';
import { type ListedStory, sourcesCount } from '../services/story-listing';

/** Sources a terminal block lists by name; `--json` gives them all. */
const SOURCES_SHOWN = 10;

/**
 * A story as `briefing query` prints it: the headline's briefing block, then how many sources
 * and since when, and each source with its headline and link.
 */
export function renderStoryBlock(story: ListedStory, options: ConsoleOptions = {}): string {
  // The sources are listed below in full, so the block's own "also reported by" line would repeat them.
  const { story: _listed, ...headline } = story.briefing;
  const lines = [
    renderConsoleBlock(headline, options),
    `${sourcesCount(story)}, first seen ${story.firstSeen} · story ${story.id}`,
  ];
  for (const s of story.sources.slice(0, SOURCES_SHOWN)) {
    const link = safeLink(s.link);
    lines.push(
      `  ${oneLine(s.feedName)}: ${oneLine(s.title) || '(untitled)'}${link ? `  ${link}` : ''}`,
    );
  }
  const more = story.sources.length - SOURCES_SHOWN;
  if (more > 0) lines.push(`  +${more} more (--json lists them all)`);
  return lines.join('\n');
}

/** One JSON line per story for scripts: raw values, every source the story names. */
export function renderStoryJson(story: ListedStory): string {
  const { item, feedName, summary, topics } = story.briefing;
  const record = {
    id: story.id,
    firstSeen: story.firstSeen,
    headline: {
      title: item.title,
      link: item.link,
      feedId: item.feedId,
      feedName,
      publishedAt: item.publishedAt,
    },
    summary,
    topics,
    sourceCount: story.sourceCount,
    ...(story.atLeast && { sourceCountAtLeast: true }),
    sources: story.sources.map(({ feedId, feedName, title, link, publishedAt }) => ({
      feedId,
      feedName,
      title,
      link,
      publishedAt,
    })),
  };
  return jsonLine(record);
}
