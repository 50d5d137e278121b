import { describe, expect, it } from 'vitest';
import { feedVisibleIn, scopedId, scopeMatches, splitScoped } from '../../../src/catalog/scope';

const G = '300000000000000001';
const H = '300000000000000002';
const match = (topicId: string) => ({ topicId, score: 3, hits: [] });

describe('guild scoping of topics and feeds', () => {
  it('names a guild id with its guild, and splits it back', () => {
    expect(scopedId(G, 'energy')).toBe(`${G}_energy`);
    expect(splitScoped(`${G}_energy`)).toEqual({ guildId: G, id: 'energy' });
    expect(splitScoped('energy')).toEqual({ id: 'energy' });
    expect(splitScoped('un-ct')).toEqual({ id: 'un-ct' });
  });

  it('an operator feed is seen everywhere, a guild feed in its guild only', () => {
    expect(feedVisibleIn('news', H)).toBe(true);
    expect(feedVisibleIn(`${G}_local`, G)).toBe(true);
    expect(feedVisibleIn(`${G}_local`, H)).toBe(false);
  });

  it("keeps an operator feed item's matches as they are", () => {
    const matches = [match('energy'), match(`${G}_metals`)];
    expect(scopeMatches(matches, 'news')).toEqual(matches);
  });

  it("scopes a guild feed item's global matches to that guild and drops other guilds' topics", () => {
    const scoped = scopeMatches(
      [match('energy'), match(`${G}_metals`), match(`${H}_water`)],
      `${G}_local`,
    );
    expect(scoped.map((m) => m.topicId)).toEqual([`${G}_energy`, `${G}_metals`]);
  });
});
