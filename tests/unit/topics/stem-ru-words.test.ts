/**
 * The Russian stemmer on a word list (tests/fixtures/topics/ru-stem-words.yaml): the share of
 * verb paradigms brought to one key is printed and held above a floor, and every noun paradigm
 * must stay together.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stem } from '../../../src/topics/stem';
import { tokenize } from '../../../src/topics/tokenize';

const list = parse(readFileSync('tests/fixtures/topics/ru-stem-words.yaml', 'utf8')) as {
  verbs: string[][];
  nouns: string[][];
  distinct: string[][];
};
const key = (word: string) => tokenize(word)[0]?.key ?? '';
const together = (forms: string[]) => new Set(forms.map(key)).size === 1;

describe('the Russian stemmer on its word list', () => {
  it('brings the forms of at least 90 % of the verbs to one key, and keeps every noun together', () => {
    const verbs = list.verbs.filter(together).length;
    const nouns = list.nouns.filter(together).length;
    const split = [...list.verbs, ...list.nouns]
      .filter((g) => !together(g))
      .map((g) => g.map((w) => `${w}→${key(w)}`).join(' '));
    console.log(
      `verbs ${verbs}/${list.verbs.length} (${((100 * verbs) / list.verbs.length).toFixed(0)} %), nouns ${nouns}/${list.nouns.length}\n${split.join('\n')}`,
    );
    expect(nouns).toBe(list.nouns.length);
    expect(verbs / list.verbs.length).toBeGreaterThanOrEqual(0.9);
  });

  it.each(list.distinct)('keeps %s and %s apart', (a, b) => {
    expect(stem(a as string)).not.toBe(stem(b as string));
  });
});
