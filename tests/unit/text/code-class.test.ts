import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeClass } from '../../../src/text/code-class';

const DIGIT = /\p{N}/u;
const UPPER_FIRST = /^\p{Lu}/u;

describe('codeClass', () => {
  it.each([
    ['2026', true],
    ['один', false],
    ['٣', true],
    ['Ⅻ', true],
    ['𝟙', true],
    ['x\uD800', false],
    ['', false],
  ])('any digit in %j is %s, as \\p{N} says', (text, expected) => {
    expect(codeClass(/^\p{N}$/u).any(text)).toBe(expected);
    expect(DIGIT.test(text)).toBe(expected);
  });

  it('answers as the property regex on any text, astral characters and lone surrogates included', () => {
    const digit = codeClass(/^\p{N}$/u);
    const upper = codeClass(/^\p{Lu}$/u);
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom('A', 'я', 'Я', '1', '٣', '𝐀', '𝟙', '\uD835', ' ', '.') }),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(digit.any(t)).toBe(DIGIT.test(t));
        expect(upper.first(t)).toBe(UPPER_FIRST.test(t));
      }),
      { numRuns: 2000 },
    );
  });
});
