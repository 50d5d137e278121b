import type { Archived } from '../store/archive';
import type { Delivery } from '../domain/delivery';
import { summarize } from '../text/summarize';
import { explainMatch } from '../topics/explain';
import type { Briefing } from './briefing';

export interface BriefingLookups {
  feedName: (feedId: string) => string;
  topicName: (topicId: string) => string;
}

/**
 * What a reader sees for one archived item: the summary favours sentences with the terms that
 * made it match, and each topic carries its explanation.
 */
export function buildBriefing(
  archived: Archived,
  delivery: Pick<Delivery, 'topicIds' | 'folded'>,
  lookups: BriefingLookups,
): Briefing {
  const { item } = archived;
  const wanted = new Set(delivery.topicIds);
  const matches = archived.matches.filter((m) => wanted.has(m.topicId));
  const terms = [...new Set(matches.flatMap((m) => m.hits.map((h) => h.term)))];
  return {
    item,
    feedName: lookups.feedName(item.feedId),
    // A folded message names no single item, so it has no summary to show.
    summary: delivery.folded
      ? ''
      : summarize(item.text || item.description, { title: item.title, terms }),
    topics: matches.map((m) => ({
      id: m.topicId,
      name: lookups.topicName(m.topicId),
      score: m.score,
      why: explainMatch(m),
    })),
    ...(delivery.folded && { folded: delivery.folded }),
  };
}
