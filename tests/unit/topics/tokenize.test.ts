import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize, tokenizeDoc } from '../../../src/topics/tokenize';

const norms = (text: string) => tokenize(text).map((t) => t.norm);

describe('tokenize', () => {
  it.each([
    ['Counter-Terrorism Office', ['counter', 'terrorism', 'office']],
    ['Counter- Terrorism', ['counter', 'terrorism']],
    ['Aşgabat and Ashgabat', ['ashgabat', 'and', 'ashgabat']],
    ['Fionnuala Ní Aoláin', ['fionnuala', 'ni', 'aolain']],
    ['Объединённых Наций', ['объединенных', 'наций']],
    ['Oʻzbekiston, Łódź, Straße', ['ozbekiston', 'lodz', 'strasse']],
    ['C5+1 summit, 2021-2024', ['c5', '1', 'summit', '2021', '2024']],
    ["l'ONU et l’Europe", ['l', 'onu', 'et', 'l', 'europe']],
  ])('splits and normalises %j', (text, expected) => {
    expect(norms(text)).toEqual(expected);
  });

  it('keeps й distinct from и while stripping other marks', () => {
    expect(norms('Кыргызский йод ёж')).toEqual(['кыргызский', 'йод', 'еж']);
  });

  it.each([
    ['U.N.', 'UN'],
    ['the U.S. envoy', 'US'],
    ['U.N', 'UN'],
  ])('joins the dotted acronym in %j', (text, raw) => {
    const token = tokenize(text).find((t) => t.raw === raw);
    expect(token).toMatchObject({ norm: raw.toLowerCase(), caps: true });
  });

  it("drops a possessive 's but not an apostrophe inside a word", () => {
    expect(tokenize("UN's Kazakhstan’s Da'esh").map((t) => t.raw)).toEqual([
      'UN',
      'Kazakhstan',
      'Da',
      'esh',
    ]);
  });

  it.each([
    ['UN', true],
    ['ООН', true],
    ['UNOCT', true],
    ['Un', false],
    ['un', false],
    ['A', false],
    ['G7', false],
  ])('marks %j as all capitals: %s', (word, caps) => {
    expect(tokenize(word)[0]?.caps).toBe(caps);
  });

  it('gives each token its stemmed key and its character offsets', () => {
    const [first, second] = tokenize('Туркменистаном talks');
    expect(first).toMatchObject({ key: 'туркменистан', start: 0, end: 14 });
    expect(second).toMatchObject({ key: 'talk', start: 15, end: 20 });
  });

  it('numbers positions across title, description and text and records the field', () => {
    const tokens = tokenizeDoc({ title: 'UN talks', description: 'in Bishkek', text: 'on Monday' });
    expect(tokens.map((t) => [t.pos, t.field])).toEqual([
      [0, 'title'],
      [1, 'title'],
      [2, 'description'],
      [3, 'description'],
      [4, 'text'],
      [5, 'text'],
    ]);
  });

  it.each(['Ǽ', 'ǽ', 'Ǿ'])(
    'folds %s, a letter whose decomposition exposes a foldable one, to a stable form',
    (word) => {
      const [norm] = norms(word);
      expect(norms(norm!)).toEqual([norm]);
    },
  );

  it('folds the capital sharp s like the small one (ẞ → ss), so the form is stable', () => {
    expect(norms('STRAẞE ẞ')).toEqual(['strasse', 'ss']);
  });

  it('produces normalised forms that are lower case, mark-free and stable when tokenized again', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        for (const t of tokenize(text)) {
          expect(t.norm).not.toBe('');
          expect(t.norm).toBe(t.norm.toLowerCase());
          expect(/\p{M}/u.test(t.norm)).toBe(false);
          // NFKD can turn a compatibility character into punctuation (½ → 1⁄2); otherwise idempotent.
          if (/^[\p{L}\p{N}]+$/u.test(t.norm)) {
            expect(tokenize(t.norm).map((u) => [u.norm, u.key])).toEqual([[t.norm, t.key]]);
          }
        }
      }),
    );
  });
});

describe('sentences and paragraphs', () => {
  const marks = (text: string) =>
    tokenize(text)
      .map((t) => `${t.raw}:${t.para}.${t.sent}`)
      .join(' ');

  it.each([
    [
      'UN staff met. Terrorism was discussed',
      'UN:0.0 staff:0.0 met:0.0 Terrorism:0.1 was:0.1 discussed:0.1',
    ],
    ['Why? Because! Now… next', 'Why:0.0 Because:0.1 Now:0.2 next:0.2'],
    ['approx. five and Gen. Smith', 'approx:0.0 five:0.0 and:0.0 Gen:0.0 Smith:0.0'],
    ['the U.N. Secretary-General', 'the:0.0 UN:0.0 Secretary:0.0 General:0.0'],
    ['в 2021 г. Ташкент принял', 'в:0.0 2021:0.0 г:0.0 Ташкент:0.0 принял:0.0'],
    ['A lead\nwithout a stop', 'A:0.0 lead:0.0 without:0.1 a:0.1 stop:0.1'],
    ['One.\n\nTwo.\n  \nThree', 'One:0.0 Two:1.1 Three:2.2'],
  ])('numbers %j', (text, expected) => {
    expect(marks(text)).toBe(expected);
  });

  it('starts a new paragraph and sentence with each field of a document', () => {
    const tokens = tokenizeDoc({ title: 'UN talks', description: 'Terrorism', text: 'A. B' });
    expect(tokens.map((t) => [t.para, t.sent])).toEqual([
      [0, 0],
      [0, 0],
      [1, 1],
      [2, 2],
      [2, 3],
    ]);
  });
});
