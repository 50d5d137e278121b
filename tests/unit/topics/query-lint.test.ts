import { describe, expect, it } from 'vitest';
import { queryWarnings } from '../../../src/topics/query-lint';

describe('queryWarnings', () => {
  it('warns about lower-case and/or/not/near, which are words, with a caret under each', () => {
    const warnings = queryWarnings('UN and Kazakhstan or Tajikistan not water Near ООН');
    expect(warnings.map((w) => w.split('\n')[0])).toEqual([
      '"and" is a word to find here, not an operator: write AND for the operator, or "and" in quotes to keep the word',
      '"or" is a word to find here, not an operator: write OR for the operator, or "or" in quotes to keep the word',
      '"not" is a word to find here, not an operator: write NOT for the operator, or "not" in quotes to keep the word',
      '"Near" is a word to find here, not an operator: write NEAR for the operator, or "Near" in quotes to keep the word',
    ]);
    expect(warnings[0]?.split('\n').slice(1)).toEqual([
      '  UN and Kazakhstan or Tajikistan not water Near ООН',
      '     ^',
    ]);
  });

  it.each([
    'UN AND Kazakhstan OR Tajikistan NOT water',
    '"rock and roll" OR "not guilty"',
    'Andijan Oral Notes',
    '"unclosed and',
  ])('has nothing to say about %j', (query) => {
    expect(queryWarnings(query)).toEqual([]);
  });
});
