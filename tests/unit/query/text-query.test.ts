import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors';
import type { Archived } from '../../../src/store/archive';
import { parseTextQuery } from '../../../src/query/text-query';

const archived = (title: string, description = ''): Archived => ({
  item: {
    key: 'k',
    storyKey: 's',
    feedId: 'f',
    title,
    description,
    text: 'body text that is never searched',
    categories: [],
    publishedAt: '2026-11-11T00:00:00Z',
    fetchedAt: '2026-11-11T00:00:00Z',
  },
  matches: [],
});

describe('text search queries', () => {
  it.each([
    ['talks', ['talk']],
    ['Water  SECURITY', ['water', '^security']],
    ['Туркменистаном ООН', ['туркменистан', '^оон']],
    ['U.N. talks talk', ['^un', 'talk']],
    ['"Caspian Sea" gas', ['caspian', 'sea', 'gas']],
    ['Counter-Terrorism', ['counter', 'terrorism']],
  ])('%s looks in the lists %j', (text, words) => {
    expect(parseTextQuery(text).words).toEqual(words);
  });

  it('plain words need no checking; a phrase checks adjacency in the title and description only', () => {
    expect(parseTextQuery('water talks').verify).toBeUndefined();
    const phrase = parseTextQuery('"water security" talks');
    expect(phrase.verify?.(archived('Talks on water security'))).toBe(true);
    expect(phrase.verify?.(archived('Talks on security of water'))).toBe(false);
    expect(phrase.verify?.(archived('Talks', 'The water security agenda'))).toBe(true);
    // The body is not searched, except its lede when the feed gives no description.
    expect(parseTextQuery('"body text"').verify?.(archived('Nothing here', 'A description'))).toBe(
      false,
    );
    expect(parseTextQuery('"body text"').verify?.(archived('Nothing here'))).toBe(true);
  });

  it.each([
    ['water OR gas', /OR: use a topic query/],
    ['water -gas', /NOT or -/],
    ['water NEAR gas', /NEAR/],
    ['@central_asia', /@groups/],
    ['title:water', /title:, summary: and text:/],
    ['terror*', /prefixes like terror\*/],
    ['"water', /character 1: Unclosed quote/],
    ['', /character 1: Empty query/],
    ['x'.repeat(301), /too long/],
  ])('refuses %j with a message safe to show', (text, message) => {
    expect(() => parseTextQuery(text)).toThrow(UserError);
    expect(() => parseTextQuery(text)).toThrow(message);
  });
});
