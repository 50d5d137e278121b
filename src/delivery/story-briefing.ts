import type { Delivery } from '../domain/delivery';
import type { Story } from '../store/story-index';
import type { Briefing } from './briefing';

/**
 * The briefing told as part of its story: the sources known now (a briefing drained after a
 * second source arrived already lists it), and whether it is an update of an earlier post.
 */
export function withStory(
  briefing: Briefing,
  delivery: Pick<Delivery, 'storyId' | 'update'>,
  story: Story | undefined,
  feedName: (feedId: string) => string,
): Briefing {
  if (!delivery.storyId) return briefing;
  const sources = (story?.sources ?? []).map((s) => ({
    feedId: s.feedId,
    feedName: feedName(s.feedId),
    itemKey: s.itemKey,
    title: s.title,
    ...(s.link !== undefined && { link: s.link }),
  }));
  return {
    ...briefing,
    story: {
      id: delivery.storyId,
      sources,
      count: Math.max(story?.sourceCount ?? 0, sources.length),
    },
    ...(delivery.update && { update: true }),
  };
}

/** How many names an "also reported by" line shows before it counts the rest ("+3"). */
const NAMES_SHOWN = 4;

/**
 * "Kazinform · UN News · +3": the story's other sources (not the one briefed), each feed named
 * once, in arrival order; undefined when no other feed carried it.
 */
export function alsoReportedBy(story: Briefing['story'], briefedKey: string): string | undefined {
  if (!story) return undefined;
  const briefed = story.sources.find((s) => s.itemKey === briefedKey);
  const names = [
    ...new Set(
      story.sources
        .filter((s) => s.itemKey !== briefedKey && s.feedId !== briefed?.feedId)
        .map((s) => s.feedName),
    ),
  ];
  const unlisted = Math.max(0, story.count - story.sources.length);
  if (names.length === 0 && unlisted === 0) return undefined;
  const more = Math.max(0, names.length - NAMES_SHOWN) + unlisted;
  return [...names.slice(0, NAMES_SHOWN), ...(more > 0 ? [`+${more}`] : [])].join(' · ');
}

/** What a briefing told a target of its story: the item itself and every source it listed. */
export function toldKeys(itemKey: string, story: Briefing['story']): string[] {
  return [itemKey, ...(story?.sources ?? []).map((s) => s.itemKey)];
}
