import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { tokenizeDoc } from '../../../src/topics/tokenize';
import { unitsOf } from '../../../src/topics/words';

/**
 * Reads outside a text, recorded by the test: the index of every read of a code unit the
 * tokenizer scans (its units array, see words.ts `unitsOf`) or of a character it asks a string
 * for, that lies outside the text.
 */
const outside: number[] = [];

vi.mock('../../../src/topics/words', async (importOriginal) => {
  const words = await importOriginal<typeof import('../../../src/topics/words')>();
  return {
    ...words,
    // The same units behind a proxy that notes any index read past either end.
    unitsOf: (text: string) => {
      const units = words.unitsOf(text);
      return new Proxy(units, {
        get(target, key) {
          if (typeof key === 'string' && /^-?\d+$/.test(key)) {
            const at = Number(key);
            if (!(at >= 0 && at < target.length)) outside.push(at);
            return target[at];
          }
          const value = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
});

describe('reading the text', () => {
  it('never reads a character past the end (one such read made V8 slow every later read)', () => {
    const charCodeAt = String.prototype.charCodeAt;
    const endings = ['', 'A', 'Plan B', 'U.', 'U.S', 'U.S.', '\uD835', "UN'", 'UN’', "UN's", '.'];
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.constantFrom(...endings),
        (text, end) => {
          outside.length = 0;
          String.prototype.charCodeAt = function (this: string, at: number) {
            if (!(at >= 0 && at < this.length)) outside.push(at);
            return charCodeAt.call(this, at);
          };
          try {
            tokenizeDoc({ title: text + end, description: end, text: `${end} ${text}${end}` });
          } finally {
            String.prototype.charCodeAt = charCodeAt;
          }
          expect(outside).toEqual([]);
        },
      ),
    );
  });

  it('watches the reads it says it watches', () => {
    outside.length = 0;
    void unitsOf('ab')[2];
    expect(outside).toEqual([2]);
  });
});
