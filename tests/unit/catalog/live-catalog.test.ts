import { describe, expect, it } from 'vitest';
import { createLiveCatalog } from '../../../src/catalog/live-catalog';
import type { GuildTopic } from '../../../src/store/guild-catalog';
import type { TopicsFile } from '../../../src/topics/schema';

const G = '300000000000000001';
const H = '300000000000000002';
const topics: TopicsFile = {
  groups: { fuels: ['gas', 'oil'] },
  topics: [{ id: 'energy', name: 'Energy', query: '@fuels', minScore: 2 }],
};
const guildTopic = (id: string, query: string): GuildTopic => ({
  id,
  name: id.toUpperCase(),
  query,
  minScore: 2,
  createdBy: '1',
  updatedAt: '2026-11-28T00:00:00Z',
});
const item = (title: string, feedId = 'news') => ({
  key: title,
  storyKey: title,
  feedId,
  title,
  description: '',
  text: '',
  categories: [],
  publishedAt: '2026-11-28T00:00:00Z',
  fetchedAt: '2026-11-28T00:00:00Z',
});

describe('the live catalogue of global and guild topics', () => {
  it('matches guild topics beside global ones, and shows each guild only its own', () => {
    const catalog = createLiveCatalog({ feeds: [], topics });
    catalog.setGuild(G, { topics: [guildTopic('metals', 'gold OR @fuels')] });
    expect(
      catalog
        .match(item('Gold and gas'))
        .matches.map((m) => m.topicId)
        .sort(),
    ).toEqual([`${G}_metals`, 'energy']);
    expect(catalog.topicsIn(G).map((t) => `${t.scope}:${t.id}`)).toEqual([
      'global:energy',
      'guild:metals',
    ]);
    expect(catalog.topicsIn(H).map((t) => t.id)).toEqual(['energy']);
    expect(catalog.topicName(`${G}_metals`)).toBe('METALS');
    expect(catalog.topicName(`${G}_energy`)).toBe('Energy');
  });

  it('says which subscribers a match id answers to', () => {
    const catalog = createLiveCatalog({ feeds: [], topics });
    catalog.setGuild(G, { topics: [guildTopic('metals', 'gold')] });
    expect(catalog.subscribersOf('energy')).toEqual({ topicKey: 'energy', guildId: undefined });
    expect(catalog.subscribersOf(`${G}_energy`)).toEqual({ topicKey: 'energy', guildId: G });
    expect(catalog.subscribersOf(`${G}_metals`)).toEqual({ topicKey: `${G}_metals`, guildId: G });
  });

  it('skips a guild topic that no longer compiles when the operator removes a group, keeping the rest', () => {
    const invalid: string[] = [];
    const catalog = createLiveCatalog(
      { feeds: [], topics },
      { onInvalidTopic: (key) => invalid.push(key) },
    );
    catalog.setGuild(G, {
      topics: [guildTopic('metals', 'gold OR @fuels'), guildTopic('water', 'river')],
    });
    catalog.setGlobalTopics({
      groups: {},
      topics: [{ id: 'rivers', name: 'Rivers', query: 'river', minScore: 2 }],
    });
    expect(invalid).toEqual([`${G}_metals`]);
    expect(
      catalog
        .match(item('The river and the gold'))
        .matches.map((m) => m.topicId)
        .sort(),
    ).toEqual([`${G}_water`, 'rivers']);
  });

  it("polls guild feeds as untrusted beside the operator's, and names them", () => {
    const catalog = createLiveCatalog({
      feeds: [
        {
          id: 'news',
          url: 'https://example.org/rss',
          interval: 600_000,
          backfill: 0,
          name: 'News',
        },
      ],
      topics,
    });
    catalog.setGuild(G, {
      feeds: [
        {
          id: 'local',
          url: 'https://example.org/rss',
          name: 'Local',
          addedBy: '1',
          addedAt: '2026-11-28T00:00:00Z',
        },
      ],
    });
    expect(catalog.feeds().map((f) => [f.id, f.trust ?? 'trusted'])).toEqual([
      ['news', 'trusted'],
      [`${G}_local`, 'untrusted'],
    ]);
    expect(catalog.feedName(`${G}_local`)).toBe('Local');
    expect(catalog.feedName('news')).toBe('News');
  });
});
