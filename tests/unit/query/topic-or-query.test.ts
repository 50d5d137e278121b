import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors';
import { topicOrQuery } from '../../../src/query/backtest';
import { closestNames } from '../../../src/query/did-you-mean';

const topics = ['un-ct-central-asia', 'energy-prices', 'water'].map((id) => ({
  id,
  name: id,
  query: 'UN',
  minScore: 2,
}));

describe('topicOrQuery (briefing topic test <target>)', () => {
  it('finds a topic by its id', () => {
    expect(topicOrQuery('energy-prices', topics)).toMatchObject({ id: 'energy-prices' });
  });

  it.each([
    'Kazakhstan OR Tajikistan',
    'kazakhstan',
    '"nosuch-topic"',
    'UN-backed',
    'counter-Terrorism',
  ])('runs %j as a query', (target) => {
    expect(topicOrQuery(target, topics)).toBe(target);
  });

  it.each([
    ['un-ct-central-asa', 'did you mean un-ct-central-asia?'],
    ['energy', 'did you mean energy-prices?'],
    ['watr', 'did you mean water?'],
    ['nosuch-topic', 'the topics are un-ct-central-asia, energy-prices, water.'],
  ])(
    'refuses %j, a topic id that names no topic, instead of running it as a word query',
    (target, hint) => {
      expect(() => topicOrQuery(target, topics)).toThrow(UserError);
      expect(() => topicOrQuery(target, topics)).toThrow(
        `No such topic "${target}" — ${hint} To test the word as a query, put it in quotes: '"${target}"'.`,
      );
    },
  );
});

describe('closestNames', () => {
  it('orders the names within reach by distance', () => {
    expect(closestNames('enrgy-price', ['energy-prices', 'energy', 'un-ct'])).toEqual([
      'energy-prices',
    ]);
    expect(closestNames('x', ['un-ct-central-asia'])).toEqual([]);
  });
});
