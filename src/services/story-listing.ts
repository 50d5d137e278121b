import type { Briefing, BriefingSource } from '../delivery/briefing';
import { buildBriefing, type BriefingLookups } from '../delivery/build-briefing';
import type { StoryHit } from '../query/story-query';

/** A source as a listing shows it: who, what, where, and when it was published. */
export type ListedSource = BriefingSource & { publishedAt: string };

/**
 * One story of `/briefing` or `briefing query`: its headline as a briefing (the story's first
 * source this reader may see, with the topics its newest matching item matched), and its sources.
 */
export interface ListedStory {
  id: string;
  firstSeen: string;
  briefing: Briefing;
  sources: ListedSource[];
  /** How many sources the story has; a lower bound when `atLeast` (see StoryHit). */
  sourceCount: number;
  atLeast: boolean;
}

/** `topicIds`: the topics asked about, or undefined for every topic the item matched. */
export function listedStory(
  hit: StoryHit,
  topicIds: string[] | undefined,
  lookups: BriefingLookups,
): ListedStory {
  const matched = hit.newest.matches.map((m) => m.topicId);
  const briefing = buildBriefing(
    // The headline is the story's; what matched is the item that put it in the result.
    { item: hit.headline.item, matches: hit.newest.matches },
    { topicIds: topicIds ? matched.filter((id) => topicIds.includes(id)) : matched },
    lookups,
  );
  const sources = hit.sources.map((s) => ({
    feedId: s.feedId,
    feedName: lookups.feedName(s.feedId),
    itemKey: s.itemKey,
    title: s.title,
    publishedAt: s.publishedAt,
    ...(s.link !== undefined && { link: s.link }),
  }));
  return {
    id: hit.id,
    firstSeen: hit.firstSeen,
    briefing: { ...briefing, story: { id: hit.id, sources, count: hit.sourceCount } },
    sources,
    sourceCount: hit.sourceCount,
    atLeast: hit.atLeast,
  };
}

/** "3 sources", "1 source", "at least 51 sources". */
export function sourcesCount(story: Pick<ListedStory, 'sourceCount' | 'atLeast'>): string {
  const n = story.sourceCount;
  return `${story.atLeast ? 'at least ' : ''}${n} source${n === 1 ? '' : 's'}`;
}
