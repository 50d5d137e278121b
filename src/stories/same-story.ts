/**
 * The rule for "the same story": the same canonical link, or the same language, close in time
 * and alike enough in headline and lead. The bar rises with the time between the two reports:
 * reprints of one event come within hours, while a report two days later that shares most names
 * is more often the next chapter (a ratification after a signing) than the same news. Reports
 * whose headline numbers disagree are never one story (see terms.ts).
 */
import type { StoryFeatures } from './features';
import { similarity } from './similarity';

/** How far apart two reports of one story may be. */
export const STORY_WINDOW_MS = 72 * 3_600_000;
/** The similarity two simultaneous reports need. */
export const SAME_STORY_AT_ONCE = 0.5;
/**
 * Below this many distinct terms a report says too little to be matched by its words ("First
 * story" and "Second story" share half of theirs): only the same link joins it to a story.
 */
export const MIN_STORY_TERMS = 4;
/** What the bar rises by across the whole window. */
const RISE_OVER_WINDOW = 0.33;

export function sameStoryThreshold(apartMs: number): number {
  return SAME_STORY_AT_ONCE + RISE_OVER_WINDOW * Math.min(1, apartMs / STORY_WINDOW_MS);
}

/**
 * Each headline has a number the other report never mentions. (Not "none of them": a number
 * shared by both — the 5 of "in 5 charts", a year — would otherwise let every edition of a
 * numbered format merge.)
 */
function numbersDisagree(a: StoryFeatures, b: StoryFeatures): boolean {
  return (
    a.numbers.length > 0 &&
    b.numbers.length > 0 &&
    a.numbers.some((n) => !b.terms.has(n)) &&
    b.numbers.some((n) => !a.terms.has(n))
  );
}

/** What `storyMatch` answers for the same link: more than any similarity. */
export const SAME_LINK = 2;

/**
 * The same canonical link within the window: the same story, whatever the words (so a caller that
 * has only a member's time and link can tell without its terms).
 */
export function sameLink(
  a: Pick<StoryFeatures, 'at' | 'link'>,
  b: Pick<StoryFeatures, 'at' | 'link'>,
): boolean {
  return a.link !== undefined && a.link === b.link && Math.abs(a.at - b.at) <= STORY_WINDOW_MS;
}

/** How well `b` matches `a` as the same story: 0 when it cannot, else its similarity (SAME_LINK for the same link). */
export function storyMatch(a: StoryFeatures, b: StoryFeatures): number {
  const apart = Math.abs(a.at - b.at);
  if (!(apart <= STORY_WINDOW_MS)) return 0;
  if (sameLink(a, b)) return SAME_LINK;
  if (a.lang !== b.lang || numbersDisagree(a, b)) return 0;
  if (a.terms.size < MIN_STORY_TERMS || b.terms.size < MIN_STORY_TERMS) return 0;
  const sim = similarity(a.terms, b.terms);
  return sim >= sameStoryThreshold(apart) ? sim : 0;
}

export function isSameStory(a: StoryFeatures, b: StoryFeatures): boolean {
  return storyMatch(a, b) > 0;
}

/** The candidate `item` belongs with, if any: the best match among them. */
export function bestMatch<C extends { features: StoryFeatures }>(
  item: StoryFeatures,
  candidates: readonly C[],
): C | undefined {
  let best: C | undefined;
  let bestScore = 0;
  for (const c of candidates) {
    const score = storyMatch(item, c.features);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
