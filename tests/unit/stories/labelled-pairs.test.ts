import { describe, expect, it } from 'vitest';
import { type StoryFeatures, storyFeatures } from '../../../src/stories/features';
import { isSameStory } from '../../../src/stories/same-story';
import { type LabelledPair, labelledEvents, labelledPairs, type Report } from './labelled-stories';

const features = new Map<Report, StoryFeatures>();
const featuresOf = (r: Report) => {
  let f = features.get(r);
  if (!f) features.set(r, (f = storyFeatures(r)));
  return f;
};

/**
 * What the index decides for a pair: it only ever compares an item with the stories it finds
 * through the same canonical link or a shared MinHash band, so a pair the rule calls the same but
 * the bands never bring together counts as missed.
 */
function predictedSame(p: LabelledPair): boolean {
  const a = featuresOf(p.a);
  const b = featuresOf(p.b);
  const found = a.link === b.link || a.bands.some((h, i) => h === b.bands[i]);
  return found && isSameStory(a, b);
}

function score(pairs: LabelledPair[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const hard = pairs.filter((p) => p.kind);
  for (const p of pairs) {
    const same = predictedSame(p);
    if (same && p.same) tp++;
    else if (same) fp++;
    else if (p.same) fn++;
  }
  return {
    pairs: pairs.length,
    same: pairs.filter((p) => p.same).length,
    hardNegatives: hard.length,
    hardNegativesMerged: hard.filter(predictedSame).length,
    precision: tp / (tp + fp),
    recall: tp / (tp + fn),
  };
}

describe('the labelled story pairs', () => {
  const events = labelledEvents();
  const pairs = labelledPairs(events);

  it('hold at least 300 pairs of the kinds the engine must tell apart, in both languages', () => {
    const near = pairs.filter((p) => p.kind);
    expect(near.length + pairs.filter((p) => p.same).length).toBeGreaterThanOrEqual(300);
    expect(new Set(near.map((p) => p.kind))).toEqual(
      new Set(['same-person', 'same-place', 'follow-up', 'round-up']),
    );
    expect(new Set(events.map((e) => e.lang))).toEqual(new Set(['en', 'ru']));
    expect(events.filter((e) => e.split === 'held').length).toBeGreaterThan(10);
  });

  it.each(['tune', 'held'] as const)(
    'on the %s part: precision >= 0.97, recall >= 0.9',
    (split) => {
      const result = score(pairs.filter((p) => p.split === split));
      console.info(`story pairs, ${split} part: ${JSON.stringify(result)}`);
      expect(result.precision).toBeGreaterThanOrEqual(0.97);
      expect(result.recall).toBeGreaterThanOrEqual(0.9);
    },
  );
});
