import { describe, expect, it } from 'vitest';
import { canonicalLink } from '../../../src/feeds/item-key';
import { type StoryInput, storyFeatures } from '../../../src/stories/features';
import { bandHashes } from '../../../src/stories/minhash';
import {
  bestMatch,
  isSameStory,
  SAME_STORY_AT_ONCE,
  sameLink,
  sameStoryThreshold,
  STORY_WINDOW_MS,
} from '../../../src/stories/same-story';
import { similarity } from '../../../src/stories/similarity';
import { leadSentences, storyLang } from '../../../src/stories/story-text';
import { ENTITY, NUMBER, storyTerms } from '../../../src/stories/terms';

const termsOf = (title: string, lead: string) => storyTerms(title, [lead]).terms;

const report = (over: Partial<StoryInput> = {}): StoryInput => ({
  title: 'Kazakhstan, Uzbekistan sign water deal',
  description:
    'ASTANA. KAZINFORM – Kazakhstan and Uzbekistan signed an agreement on sharing the Syr Darya water in Tashkent on March 3.',
  text: '',
  publishedAt: '2026-03-03T08:00:00.000Z',
  ...over,
});

describe('the same link', () => {
  const at = Date.parse('2026-03-03T08:00:00.000Z');
  const link = 'inform.kz/en/a1';
  it.each([
    ['the same link an hour apart', true, { at, link }, { at: at + 3_600_000, link }],
    ['the same link 72 h apart', true, { at, link }, { at: at - STORY_WINDOW_MS, link }],
    ['the same link over 72 h apart', false, { at, link }, { at: at + STORY_WINDOW_MS + 1, link }],
    ['two links', false, { at, link }, { at, link: 'inform.kz/en/a2' }],
    ['no link on either', false, { at }, { at }],
    ['an unknown time', false, { at: Number.NaN, link }, { at, link }],
  ])('%s: %s', (_, expected, a, b) => {
    expect(sameLink(a, b)).toBe(expected);
  });
});

describe('canonical links', () => {
  it.each([
    ['https://www.inform.kz/en/a1/', 'inform.kz/en/a1'],
    ['http://inform.kz/en/a1?utm_source=x', 'inform.kz/en/a1'],
    ['HTTPS://Inform.KZ/en/a1#top', 'inform.kz/en/a1'],
  ])('%s is %s', (link, expected) => {
    expect(canonicalLink(link)).toBe(expected);
  });

  it('is undefined for what is not an http(s) link', () => {
    expect(canonicalLink('mailto:desk@inform.kz')).toBeUndefined();
  });
});

describe('story text', () => {
  it('the lead is the first two sentences of the summary, dateline removed', () => {
    expect(
      leadSentences({
        description:
          'ASTANA. KAZINFORM – Kazakhstan signed a deal. It covers water. Officials also discussed roads.',
        text: 'ignored',
      }),
    ).toEqual(['Kazakhstan signed a deal.', 'It covers water.']);
  });

  it('a summary that is the whole article gives the lead its opening gives', () => {
    const opening =
      'ASTANA. KAZINFORM – Kazakhstan signed a deal on the Syr Darya. It covers water for farms.';
    const article = `${opening}\n\n${'Officials went on to discuss roads and rail links. '.repeat(120)}`;
    expect(leadSentences({ description: article, text: '' })).toEqual(
      leadSentences({ description: opening, text: '' }),
    );
  });

  it('without a summary, the lead comes from the body', () => {
    expect(
      leadSentences({ description: '', text: 'The first sentence. The second. The third.' }),
    ).toEqual(['The first sentence.', 'The second.']);
  });

  it.each([
    ['Токаев провел переговоры с UN', 'ru'],
    ['Tokayev holds talks with ООН', 'en'],
    ['2026 — 15', 'other'],
  ])('%s is %s', (text, lang) => {
    expect(storyLang(text)).toBe(lang);
  });
});

describe('story terms', () => {
  it('weigh names and numbers above other words, and drop stop words', () => {
    const terms = termsOf(
      'Uzbekistan bans wheat exports',
      'The ministry said on Tuesday that Uzbekistan stops wheat exports until July 1 to hold prices.',
    );
    expect(terms.get('uzbek')).toBe(ENTITY);
    expect(terms.get('1')).toBe(NUMBER);
    expect(terms.get('wheat')).toBe(1);
    expect(terms.has('the')).toBe(false);
    // "The" opens the sentence: a capital there says nothing.
    expect(terms.get('minis')).toBe(1);
  });

  it('in a Title Case headline only capitals count as names; the lead decides the rest', () => {
    const terms = termsOf('Caspian States Prepare Summit In Avaza', 'Ministers met on Monday.');
    expect(terms.get('prepa')).toBe(1);
    expect(terms.get('avaza')).toBe(1);
    expect(termsOf('Caspian States Prepare Summit', 'Ministers met in Avaza.').get('avaza')).toBe(
      ENTITY,
    );
  });

  it('join the inflected forms of a Russian name', () => {
    const a = termsOf('Мирзиёев провел переговоры', '');
    const b = termsOf('Переговоры с Мирзиёевым', 'Встреча прошла у Мирзиеева.');
    expect([...a.keys()].filter((t) => b.has(t))).toContain('мирзи');
  });
});

describe('the same-story rule', () => {
  const a = storyFeatures(report());
  const retold = storyFeatures(
    report({
      title: 'Uzbekistan and Kazakhstan agree on Syr Darya water',
      description:
        'TASHKENT, March 3 (Reuters) - Uzbekistan and Kazakhstan signed a deal on Tuesday on sharing water of the Syr Darya.',
      publishedAt: '2026-03-03T10:30:00.000Z',
    }),
  );
  const other = storyFeatures(
    report({
      title: 'Kazakhstan raises fuel prices',
      description: 'ASTANA. KAZINFORM – Petrol prices in Kazakhstan will rise by 8% from April 1.',
    }),
  );

  it('calls one event retold in other words the same story, and another event not', () => {
    expect(similarity(a.terms, retold.terms)).toBeGreaterThan(SAME_STORY_AT_ONCE);
    expect(isSameStory(a, retold)).toBe(true);
    expect(isSameStory(a, other)).toBe(false);
    expect(bestMatch(retold, [{ features: other }, { features: a }])?.features).toBe(a);
  });

  it('needs the same language, and a time apart within the window', () => {
    expect(isSameStory(a, { ...retold, lang: 'ru' })).toBe(false);
    expect(isSameStory(a, { ...retold, at: a.at + STORY_WINDOW_MS + 1 })).toBe(false);
  });

  it('the same canonical link decides alone, within the window', () => {
    const linked = { ...a, link: 'inform.kz/en/a1' };
    expect(isSameStory(linked, { ...other, link: 'inform.kz/en/a1' })).toBe(true);
    expect(
      isSameStory(linked, { ...other, link: 'inform.kz/en/a1', at: a.at + 2 * STORY_WINDOW_MS }),
    ).toBe(false);
  });

  it('asks more of reports further apart', () => {
    expect(sameStoryThreshold(0)).toBe(SAME_STORY_AT_ONCE);
    expect(sameStoryThreshold(STORY_WINDOW_MS)).toBeGreaterThan(sameStoryThreshold(3_600_000));
  });

  it('two editions of one digest whose headline numbers disagree are two stories', () => {
    const day4 = storyFeatures(
      report({
        title: 'Kazakhstan business digest: March 4',
        description:
          'The main business news of Kazakhstan for March 4: the tenge and the base rate.',
      }),
    );
    const day5 = storyFeatures(
      report({
        title: 'Kazakhstan business digest: March 5',
        description:
          'The main business news of Kazakhstan for March 5: the tenge and the base rate.',
      }),
    );
    expect(similarity(day4.terms, day5.terms)).toBeGreaterThan(SAME_STORY_AT_ONCE);
    expect(isSameStory(day4, day5)).toBe(false);
  });

  it('two editions that share one headline number but not the other are two stories', () => {
    const edition = (n: number) =>
      storyFeatures(
        report({
          title: `Central Asia in 5 charts: week ${n}`,
          description: `Five charts on the economies of Central Asia, week ${n} of 2026.`,
        }),
      );
    expect(similarity(edition(11).terms, edition(12).terms)).toBeGreaterThan(SAME_STORY_AT_ONCE);
    expect(isSameStory(edition(11), edition(12))).toBe(false);
  });
});

describe('MinHash bands', () => {
  it('are the same for the same terms, and empty without terms', () => {
    const terms = termsOf('Tokayev meets Guterres in Astana', 'The UN chief arrived on Monday.');
    expect(bandHashes(terms)).toEqual(bandHashes(new Map(terms)));
    expect(bandHashes(new Map())).toEqual([]);
  });

  it('are shared by the most alike reports far more often than by unrelated ones', () => {
    const base = termsOf(
      'Tokayev meets Guterres in Astana',
      'Kassym-Jomart Tokayev received António Guterres.',
    );
    const alike = termsOf(
      'Guterres meets Tokayev',
      'Antonio Guterres was received by Tokayev in Astana.',
    );
    const unrelated = termsOf(
      'Rahmon opens Rogun turbine',
      'Emomali Rahmon launched the third unit.',
    );
    const shared = (x: number[], y: number[]) => x.filter((h, i) => h === y[i]).length;
    expect(shared(bandHashes(base), bandHashes(alike))).toBeGreaterThan(
      shared(bandHashes(base), bandHashes(unrelated)),
    );
    expect(shared(bandHashes(base), bandHashes(unrelated))).toBe(0);
  });
});

describe('reports that say too little', () => {
  it('are never one story by their words: two-word headlines without a lead only join by link', () => {
    const bare = (title: string, link?: string) =>
      storyFeatures({ ...report({ title, description: '' }), ...(link && { link }) });
    expect(isSameStory(bare('First story'), bare('Second story'))).toBe(false);
    expect(
      isSameStory(
        bare('First story', 'https://example.org/a'),
        bare('Second story', 'https://www.example.org/a/'),
      ),
    ).toBe(true);
  });
});
