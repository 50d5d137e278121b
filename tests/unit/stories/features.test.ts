import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type StoryInput, storyFeatures } from '../../../src/stories/features';
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
