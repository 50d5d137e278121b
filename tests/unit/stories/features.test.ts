import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  featureText,
  type StoryInput,
  storyFeatures,
  textFeatures,
} from '../../../src/stories/features';
import { hash32 } from '../../../src/stories/minhash';
import { leadSentences } from '../../../src/stories/story-text';
import { stripLead } from '../../../src/text/dateline';
import { splitSentences } from '../../../src/text/sentences';

/** What the code gave before it was made faster (see features-snapshot.ts). */
interface Snapshot {
  input: StoryInput;
  /** How many characters stripLead removed from the start. */
  stripped: number;
  sentences: string[];
  lead: string[];
  features: Omit<ReturnType<typeof storyFeatures>, 'terms' | 'bands'> & {
    terms: Array<[string, number]>;
    bands: number;
  };
}

/** One case a line (features-2026-12-07.jsonl). */
const cases: Snapshot[] = readFileSync(
  join(import.meta.dirname, '../../fixtures/stories/features-2026-12-07.jsonl'),
  'utf8',
)
  .trimEnd()
  .split('\n')
  .map((line) => JSON.parse(line));
const named = cases.map(
  (c) => [c.input.title.slice(0, 60) || c.input.description?.slice(0, 60), c] as const,
);

describe('story features, the dateline and the sentences, against what they gave before', () => {
  it('covers the labelled stories, the labelled leads and generated items in both languages', () => {
    expect(cases.length).toBeGreaterThan(300);
    const langs = new Set(cases.map((c) => c.features.lang));
    expect(langs).toEqual(new Set(['en', 'ru']));
    expect(cases.filter((c) => c.stripped > 0).length).toBeGreaterThan(100);
  });

  it.each(named)('%s', (_name, c) => {
    const text = c.input.description || c.input.text;
    expect(stripLead(text)).toBe(text.slice(c.stripped));
    expect(splitSentences(text)).toEqual(c.sentences);
    expect(leadSentences(c.input)).toEqual(c.lead);
    const f = storyFeatures(c.input);
    expect({ ...f, terms: [...f.terms], bands: hash32(f.bands.join(',')) }).toEqual(c.features);
  });
});

describe('the feature text: what a reprint is told by', () => {
  // A long filler, so that what follows it is beyond any lead the features read.
  const filler = 'Officials said further details would follow. '.repeat(40);
  const longer = (c: Snapshot): [StoryInput, StoryInput] => {
    const field = c.input.description ? 'description' : 'text';
    const base = { ...c.input, [field]: `${c.input[field]} ${filler}` };
    return [base, { ...base, [field]: `${base[field]} A sentence added at the end.` }];
  };

  it.each(named)('%s: the same feature text, the same text features', (_name, c) => {
    const [base, other] = longer(c);
    const moved = {
      ...other,
      link: 'https://elsewhere.example/x',
      publishedAt: '2020-01-01T00:00:00Z',
    };
    expect(featureText(moved)).toBe(featureText(base));
    expect(textFeatures(moved)).toEqual(textFeatures(base));
  });

  it.each(named)('%s: another headline, another feature text', (_name, c) => {
    expect(featureText({ ...c.input, title: `${c.input.title} (updated)` })).not.toBe(
      featureText(c.input),
    );
  });
});
