import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formsAt, wordForms } from '../../../src/topics/word-forms';
import { wordEnd, wordStart } from '../../../src/topics/words';

/** The pattern the scanner reads by character code; kept here as the definition it must meet. */
const WORD = /\p{Lu}(?:\.\p{Lu})+\.?(?![\p{L}\p{M}\p{N}])|[\p{L}\p{M}\p{N}]+/gu;

const byPattern = (text: string) => [...text.matchAll(WORD)].map((m) => [m.index, m[0]]);

function byScanner(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (let start = wordStart(text, 0); start < text.length; ) {
    const end = wordEnd(text, start);
    out.push([start, text.slice(start, end)]);
    start = wordStart(text, end);
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
        const at = formsAt(`${pad}${word}${pad}`, pad.length, pad.length + word.length);
        expect(at.raw).toBe(word);
        expect(wordForms(word)).toBe(at); // one entry, wherever the word stands
      }),
    );
  });

  it('keeps apart two words whose hashes are equal', () => {
    // The hash reads the length and the first two, middle and last two units: these differ elsewhere.
    expect(wordForms('abxcyef').raw).toBe('abxcyef');
    expect(wordForms('abycxef').raw).toBe('abycxef');
    expect(wordForms('abxcyef').raw).toBe('abxcyef');
  });

  it('keeps every word apart when the cache fills and is dropped', () => {
    const words = Array.from({ length: 120_000 }, (_, i) => `w${i.toString(36)}`);
    const wrong = words.filter((w) => formsAt(` ${w}.`, 1, w.length + 1).raw !== w);
    expect(wrong).toEqual([]);
    expect(words.slice(-1000).filter((w) => wordForms(w).norm !== w)).toEqual([]);
  });
});
