import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formsAt, wordForms, wordHash } from '../../../src/topics/word-forms';
import { unitsOf, wordEnd, wordStart } from '../../../src/topics/words';

/** The pattern the scanner reads by character code; kept here as the definition it must meet. */
const WORD = /\p{Lu}(?:\.\p{Lu})+\.?(?![\p{L}\p{M}\p{N}])|[\p{L}\p{M}\p{N}]+/gu;

const byPattern = (text: string) => [...text.matchAll(WORD)].map((m) => [m.index, m[0]]);

function byScanner(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const units = unitsOf(text);
  for (let start = wordStart(units, 0); start < text.length; ) {
    const end = wordEnd(units, start);
    out.push([start, text.slice(start, end)]);
    start = wordStart(units, end);
  }
  return out;
}

/**
 * Characters where the two could part: capitals and dots (acronyms and their backtracking),
 * marks, digits, Cyrillic, letters beyond the BMP (a capital among them), a lone surrogate,
 * spaces, apostrophes and symbols.
 */
const PIECES = [
  'U',
  'N',
  'S',
  'a',
  'b',
  '.',
  '.',
  '..',
  ' ',
  '\n',
  "'",
  '’',
  '7',
  '½',
  'Ж',
  'ж',
  'й',
  '\u0301',
  '\u0483',
  '҂',
  'ǅ',
  '𝐀',
  '𝐚',
  '😀',
  '\ud835',
  '\udc00',
  'İ',
  '-',
];
/** Mostly capitals and dots, where the pattern backtracks. */
const ACRONYMISH = ['U.', 'N.', 'S', 'U', '.', 'a', '5', '𝐀.', ' '];
const text = fc.array(
  fc.oneof(
    { arbitrary: fc.constantFrom(...ACRONYMISH), weight: 4 },
    { arbitrary: fc.constantFrom(...PIECES), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 1 },
  ),
  { maxLength: 30 },
);

describe('words', () => {
  it.each([
    [
      'U.S.Ab',
      [
        [0, 'U.S'],
        [4, 'Ab'],
      ],
    ],
    [
      'U.N. staff',
      [
        [0, 'U.N.'],
        [5, 'staff'],
      ],
    ],
    [
      'U.N.5',
      [
        [0, 'U.N'],
        [4, '5'],
      ],
    ],
    [
      'U.Nb',
      [
        [0, 'U'],
        [2, 'Nb'],
      ],
    ],
    ['𝐔.𝐍.', [[0, '𝐔.𝐍.']]],
  ])('finds the words of %j as the pattern does', (input, expected) => {
    expect(byScanner(input)).toEqual(expected);
    expect(byPattern(input)).toEqual(expected);
  });

  it('finds exactly the words the pattern finds, in any text', () => {
    fc.assert(
      fc.property(text, (parts) => {
        const joined = parts.join('');
        expect(byScanner(joined)).toEqual(byPattern(joined));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('word forms', () => {
  it('reads a word where it stands as it reads the word alone', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string(), (word, pad) => {
        const text = `${pad}${word}${pad}`;
        const at = formsAt(unitsOf(text), pad.length, pad.length + word.length, text);
        expect(at.raw).toBe(word);
        expect(wordForms(word)).toBe(at); // one entry, wherever the word stands
      }),
    );
  });

  it('keeps apart two words whose hashes are equal', () => {
    // The hash is keyed per process: a pair that collides under this process's key is found by
    // trying words (200,000 random ones hold a pair with a chance of 99 %).
    const byHash = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair && i < 400_000; i++) {
      // Seven letters spelling i scrambled: words alike only in length, as in a search for a pair.
      let n = Math.imul(i, 0x9e3779b1) >>> 0;
      let word = '';
      for (let k = 0; k < 7; k++, n = Math.floor(n / 26))
        word += String.fromCharCode(97 + (n % 26));
      const h = wordHash(unitsOf(word), 0, word.length);
      const other = byHash.get(h);
      if (other) pair = [other, word];
      else byHash.set(h, word);
    }
    const [a, b] = pair!;
    expect(wordForms(a).raw).toBe(a);
    expect(wordForms(b).raw).toBe(b);
    expect(wordForms(a).raw).toBe(a);
  });

  it('spreads words written to share slots over the table', () => {
    // FNV-1a's low bits depend only on the characters' low bits, whatever its basis: every word
    // of 12 letters `a` and `聡` (U+8061) took the same slot of a table of up to 32,768.
    const words = Array.from({ length: 4096 }, (_, i) =>
      [...i.toString(2).padStart(12, '0')].map((bit) => (bit === '0' ? 'a' : '\u8061')).join(''),
    );
    const slots = new Set(words.map((w) => wordHash(unitsOf(w), 0, w.length) & 4095));
    // 4,096 words in 4,096 slots at random fill about 2,590 of them.
    expect(slots.size).toBeGreaterThan(2400);
  });

  it('keeps every word apart when the cache fills and is dropped', () => {
    const words = Array.from({ length: 120_000 }, (_, i) => `w${i.toString(36)}`);
    const wrong = words.filter((w) => {
      const text = ` ${w}.`;
      return formsAt(unitsOf(text), 1, w.length + 1, text).raw !== w;
    });
    expect(wrong).toEqual([]);
    expect(words.slice(-1000).filter((w) => wordForms(w).norm !== w)).toEqual([]);
  });
});
