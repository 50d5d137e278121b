import { QueryError } from '../../../src/errors';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors';
import { createPager } from '../../../src/services/pager';
import {
  checkTopicQuery,
  digestTimeOption,
  sinceOption,
  textOption,
  topicIdOption,
} from '../../../src/services/validate';

describe('slash command inputs', () => {
  it.each([
    ['24h', 86_400_000],
    ['7d', 7 * 86_400_000],
    ['1h30m', 5_400_000],
    [' 90M ', 5_400_000],
  ])('since %j is %i ms', (text, ms) => {
    expect(sinceOption(text, 180)).toBe(ms);
  });

  it.each(['yesterday', '0h', '-1d', '', '181d'])('refuses since %j with a UserError', (text) => {
    expect(() => sinceOption(text, 180)).toThrow(UserError);
  });

  it('checks topic ids, digest times and text lengths', () => {
    expect(topicIdOption(' Energy-2 ')).toBe('energy-2');
    expect(() => topicIdOption('energy prices')).toThrow(/lowercase letters, digits and dashes/);
    expect(() => topicIdOption('x'.repeat(41))).toThrow(/longer than 40/);
    expect(digestTimeOption('18:30')).toBe('18:30');
    expect(() => digestTimeOption('6pm')).toThrow(UserError);
    expect(() => textOption('   ', 'The name', 10)).toThrow('The name cannot be empty.');
    expect(textOption('😀'.repeat(10), 'The name', 10)).toBe('😀'.repeat(10));
  });

  it('shows a query error with a caret under the offending character', () => {
    const groups = { fuels: ['gas'] };
    // The surface presents it (Discord in a code block, the CLI as it is): the caret travels with it.
    const err = (() => {
      try {
        checkTopicQuery({ id: 't', name: 't', query: 'gas OR @metals', minScore: 2 }, groups);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(QueryError);
    expect((err as QueryError).withCaret()).toBe(
      'Unknown group @metals\n  gas OR @metals\n         ^',
    );
    expect(() =>
      checkTopicQuery({ id: 't', name: 't', query: 'gas OR @fuels', minScore: 2 }, groups),
    ).not.toThrow();
  });
});

describe('the pager behind Prev/Next', () => {
  it('keeps state for an hour and at most `max` entries, oldest out first', () => {
    let now = 0;
    const pager = createPager<string>({ clock: () => new Date(now), ttlMs: 1000, max: 2 });
    const a = pager.save('a');
    const b = pager.save('b');
    expect(a).toMatch(/^[\w-]{8}$/);
    expect([pager.get(a), pager.get(b)]).toEqual(['a', 'b']);
    const c = pager.save('c');
    expect([pager.get(a), pager.get(b), pager.get(c)]).toEqual([undefined, 'b', 'c']);
    now = 1000;
    expect(pager.get(c)).toBeUndefined();
  });
});
