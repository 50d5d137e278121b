import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexDoc, LookedUp } from '../../../src/topics/doc-index';
import { tokenizeDoc } from '../../../src/topics/tokenize';

const WORDS = ['UN', 'talks', 'talking', 'terror', 'terrorism', 'Бишкек', 'Бишкеке', 'ter', 'т'];
const text = fc
  .array(fc.constantFrom(...WORDS, ' ', '. ', '\n\n'), { maxLength: 30 })
  .map((parts) => parts.join(' '));

/** Every position of every word with the key, or starting with the prefix: the index filed by brute force. */
function expected(
  doc: { title: string; description: string; text: string },
  keys: string[],
  prefixes: string[],
) {
  const tokens = tokenizeDoc(doc);
  const byKey = new Map<string, number[]>();
  const byPrefix = new Map<string, number[]>();
  for (const k of keys) {
    const at = tokens.filter((t) => t.key === k).map((t) => t.pos);
    if (at.length > 0) byKey.set(k, at);
  }
  for (const p of prefixes) {
    const at = tokens.filter((t) => t.norm.startsWith(p)).map((t) => t.pos);
    if (at.length > 0) byPrefix.set(p, at);
  }
  return { byKey, byPrefix };
}

const sorted = (m: Map<string, number[]>) => new Map([...m].sort(([a], [b]) => a.localeCompare(b)));

describe('indexDoc', () => {
  it('files every position of the looked-up keys and prefixes, in order, and nothing else', () => {
    const keys = fc.subarray(['un', 'talk', 'terror', 'бишкек', 'absent']);
    const prefixes = fc.subarray(['t', 'te', 'terror', 'бишк', 'т', 'x']);
    fc.assert(
      fc.property(text, text, text, keys, prefixes, (title, description, body, ks, ps) => {
        const words = new LookedUp();
        for (const k of ks) words.addKey(k);
        for (const p of ps) words.addPrefix(p);
        const doc = { title, description, text: body };
        const index = indexDoc(doc, words);
        const want = expected(doc, ks, ps);
        expect(sorted(index.byKey)).toEqual(sorted(want.byKey));
        expect(sorted(index.byPrefix)).toEqual(sorted(want.byPrefix));
      }),
    );
  });

  it('files words for each of two matchers that read them in turn, and again after a key is added', () => {
    const doc = { title: 'UN talks', description: '', text: 'terrorism talks in Бишкеке' };
    const a = new LookedUp();
    a.addKey('talk');
    const b = new LookedUp();
    b.addPrefix('terror');
    for (let round = 0; round < 2; round++) {
      expect([...indexDoc(doc, a).byKey]).toEqual([['talk', [1, 3]]]);
      expect([...indexDoc(doc, b).byPrefix]).toEqual([['terror', [2]]]);
      expect(indexDoc(doc, b).byKey.size).toBe(0);
    }
    b.addKey('un');
    expect([...indexDoc(doc, b).byKey]).toEqual([['un', [0]]]);
  });
});
