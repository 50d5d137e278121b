import { describe, expect, it } from 'vitest';
import { compileTopics } from '../../../src/topics/compile';
import type { MatchDoc } from '../../../src/domain/match';

const item: MatchDoc = {
  title: 'UN and Tajikistan discuss border security',
  description: 'The UN Office on Drugs and Crime met officials in Dushanbe.',
  text: '',
  feedId: 'asia-plus',
  link: 'https://www.news.example.tj/en/news/2026/12/07/un-border',
  author: 'Jane Q. Doe',
  categories: ['Central Asia', 'Security'],
};
const russian: MatchDoc = {
  title: 'ООН и Таджикистан обсудили безопасность границы',
  description: 'Представители УНП ООН встретились с официальными лицами в Душанбе.',
  text: '',
};

const matches = (query: string, doc: MatchDoc = item) =>
  compileTopics([{ id: 't', name: 'T', query, minScore: 0 }], {}).match(doc).length > 0;

describe('scopes', () => {
  it.each([
    ['UN feed:asia-plus', true],
    ['UN feed:ASIA-PLUS', true],
    ['UN feed:asia', false],
    ['UN site:example.tj', true],
    ['UN site:news.example.tj', true],
    ['UN site:www.example.tj', true],
    ['UN site:https://example.tj/en', true],
    ['UN site:ample.tj', false],
    ['UN site:example.kz', false],
    ['UN author:doe', true],
    ['UN author:"Jane Q Doe"', true],
    ['UN author:"Jane Doe"', false],
    ['UN category:security', true],
    ['UN category:"central asia"', true],
    ['UN category:Asia', true],
    ['UN category:Politics', false],
    ['UN lang:en', true],
    ['UN lang:ru', false],
    ['UN -lang:ru', true],
    ['UN (site:example.kz OR feed:asia-plus)', true],
  ])('%s: %s', (query, expected) => {
    expect(matches(query)).toBe(expected);
  });

  it('reads a declared language before detecting one', () => {
    expect(matches('ООН lang:ru', russian)).toBe(true);
    expect(matches('ООН lang:ru', { ...russian, lang: 'tg' })).toBe(false);
    expect(matches('UN lang:en', { ...item, lang: 'en-GB' })).toBe(true);
  });

  it('never matches a scope on what the item lacks', () => {
    const bare: MatchDoc = { title: item.title, description: '', text: '' };
    for (const query of ['UN feed:x', 'UN site:x.org', 'UN author:x', 'UN category:x'])
      expect(matches(query, bare)).toBe(false);
    expect(matches('UN site:example.org', { ...item, link: 'not a link' })).toBe(false);
  });
});
