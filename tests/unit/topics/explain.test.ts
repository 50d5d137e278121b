import { describe, expect, it } from 'vitest';
import { explainMatch } from '../../../src/topics/explain';
import type { Hit } from '../../../src/domain/match';

const hits = (...terms: string[]): Hit[] => terms.map((term) => ({ term, field: 'text' }));

describe('explainMatch', () => {
  it.each([
    [
      hits('UN Counter-Terrorism Office', 'Turkmenistan'),
      'UN Counter-Terrorism Office · Turkmenistan',
    ],
    [
      hits('Turkmenistan', 'UN Counter-Terrorism Office', 'UN', 'counter-terrorism'),
      'Turkmenistan · UN Counter-Terrorism Office',
    ],
    [hits('a', 'b', 'c', 'd', 'e'), 'a · b · c'],
    [hits('Туркменистан', 'Туркменистаном'), 'Туркменистан'],
    [[], ''],
  ])('explains %j as %j', (list, expected) => {
    expect(explainMatch({ topicId: 't', score: 1, hits: list })).toBe(expected);
  });

  it('takes a different number of terms when asked', () => {
    expect(explainMatch({ topicId: 't', score: 1, hits: hits('a', 'b', 'c', 'd', 'e') }, 4)).toBe(
      'a · b · c · d',
    );
  });
});
