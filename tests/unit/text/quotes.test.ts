import { describe, expect, it } from 'vitest';
import { quoteEnds, quotesBalanced } from '../../../src/text/quotes';

describe('quoteEnds', () => {
  it.each([
    [
      'straight quotes',
      'He said: "We agreed. Talks go on." Then he left.',
      '"We agreed. Talks go on.',
    ],
    ['curly quotes', '“We agreed. Talks go on,” he said.', '“We agreed. Talks go on,'],
    [
      'guillemets with a quote inside',
      '«Мы „готовы“. Всё решено», — сказал он.',
      '«Мы „готовы“. Всё решено',
    ],
  ])('marks the inside of %s', (_, text, inside) => {
    const ends = quoteEnds(text);
    const from = text.indexOf(inside);
    const close = from + inside.length;
    for (let i = from; i < close; i++) expect(ends[i]).toBe(close);
    expect(ends[close]).toBe(-1);
    expect(ends[from - 1] ?? -1).toBe(-1);
  });

  it('leaves a quotation that is never closed unmarked', () => {
    expect([...quoteEnds('He said: "We agreed. Talks go on.')].every((e) => e === -1)).toBe(true);
  });

  it('reads an apostrophe-free straight quote after a word as closing', () => {
    const text = 'a"b "c" d';
    const ends = quoteEnds(text);
    expect(ends[text.indexOf('c')]).toBe(text.lastIndexOf('"'));
  });

  it('finishes on a megabyte of nested guillemets', () => {
    const text = `${'«'.repeat(300)}${'»'.repeat(300)}`.repeat(1700);
    expect(quoteEnds(text).length).toBe(text.length);
  });
});

describe('quotesBalanced', () => {
  it.each([
    ['He said: "It is over."', true],
    ['«Мы готовы», — сказал он.', true],
    ['“We are ready,” she said.', true],
    ['No quotes at all.', true],
    ['He said: "It is over.', false],
    ['«Мы готовы.', false],
    ['Мы готовы».', false],
    ['“We are ready.', false],
  ])('%s → %s', (text, balanced) => {
    expect(quotesBalanced(text)).toBe(balanced);
  });
});
