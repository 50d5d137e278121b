import { describe, expect, it } from 'vitest';
import { createLiveCatalog } from '../../../src/catalog/live-catalog';
import { subscriptionRouter } from '../../../src/discord/subscription-router';
import type { Item } from '../../../src/domain/item';
import type { Subscription, SubscriptionsRepo } from '../../../src/store/subscriptions';

const G = '300000000000000001';
const H = '300000000000000002';
const C1 = '300000000000000011';
const C2 = '300000000000000012';
const channel = (channelId: string) => ({ kind: 'channel', channelId });
const CH = '300000000000000021';
const NOW = new Date('2026-11-28T12:00:00Z');
const HOLD = 3_600_000;

const catalog = createLiveCatalog({
  feeds: [],
  topics: {
    groups: {},
    topics: ['energy', 'water'].map((id) => ({ id, name: id, query: id, minScore: 2 })),
  },
});
catalog.setGuild(G, {
  topics: [
    { id: 'metals', name: 'Metals', query: 'gold', minScore: 2, createdBy: '1', updatedAt: '' },
  ],
});

function router(subs: Subscription[], recorded: string[][] = []) {
  const repo = {
    forTopics: async (ids: string[]) => subs.filter((s) => ids.includes(s.topicId)),
    recordFeedChannels: async (_feed: string, channels: string[]) => void recorded.push(channels),
  } as unknown as SubscriptionsRepo;
  return subscriptionRouter({ subscriptions: repo, catalog, pausedHoldMs: HOLD });
}
const sub = (over: Partial<Subscription>): Subscription => ({
  guildId: G,
  channelId: C1,
  topicId: 'energy',
  mode: 'instant',
  createdAt: '',
  ...over,
});
const item = (feedId = 'news') => ({ feedId, key: 'k' }) as Item;
const matches = (...ids: string[]) =>
  ids.map((topicId, i) => ({ topicId, score: 10 - i, hits: [] }));

describe('routing an item to subscribed channels', () => {
  it('gives a channel following two matching topics one route naming both, best first', async () => {
    const recorded: string[][] = [];
    const routes = await router(
      [sub({ topicId: 'water' }), sub({}), sub({ channelId: C2 })],
      recorded,
    )(item(), matches('energy', 'water'), NOW);
    expect(routes).toEqual([
      { target: channel(C1), topicIds: ['energy', 'water'] },
      { target: channel(C2), topicIds: ['energy'] },
    ]);
    expect(recorded).toEqual([[C1, C2]]);
  });

  it('an instant subscription wins over a digest one in the same channel, with its role', async () => {
    const routes = await router([
      sub({
        topicId: 'water',
        mode: 'digest',
        digestTime: '18:00',
        mentionRoleId: '300000000000000098',
      }),
      sub({ mentionRoleId: '300000000000000099' }),
    ])(item(), matches('water', 'energy'), NOW);
    expect(routes).toEqual([
      { target: channel(C1), topicIds: ['water', 'energy'], mentionRoleId: '300000000000000099' },
    ]);
  });

  it('a digest-only channel waits for its earliest digest time', async () => {
    const routes = await router([
      sub({ mode: 'digest', digestTime: '18:00' }),
      sub({ topicId: 'water', mode: 'digest', digestTime: '13:30' }),
    ])(item(), matches('energy', 'water'), NOW);
    expect(routes).toEqual([
      {
        target: { kind: 'digest', channelId: C1 },
        topicIds: ['energy', 'water'],
        notBefore: '2026-11-28T13:30:00.000Z',
      },
    ]);
  });

  it("holds a paused channel's delivery instead of dropping it", async () => {
    const routes = await router([sub({ paused: { reason: 'Missing Access (50001)', since: '' } })])(
      item(),
      matches('energy'),
      NOW,
    );
    expect(routes).toEqual([
      {
        target: channel(C1),
        topicIds: ['energy'],
        notBefore: new Date(NOW.getTime() + HOLD).toISOString(),
      },
    ]);
  });

  it("sends a guild feed's item, matched as that guild's, to that guild only", async () => {
    const subs = [sub({}), sub({ guildId: H, channelId: CH })];
    const routes = await router(subs)(item(`${G}_local`), matches(`${G}_energy`), NOW);
    expect(routes).toEqual([{ target: channel(C1), topicIds: [`${G}_energy`] }]);
  });

  it("never routes a guild topic to another guild's forged subscription", async () => {
    const routes = await router([
      sub({ topicId: `${G}_metals` }),
      sub({ guildId: H, channelId: CH, topicId: `${G}_metals` }),
    ])(item(), matches(`${G}_metals`), NOW);
    expect(routes.map((r) => r.target)).toEqual([channel(C1)]);
  });

  it('routes nothing without matches or subscribers', async () => {
    expect(await router([sub({})])(item(), [], NOW)).toEqual([]);
    expect(await router([])(item(), matches('energy'), NOW)).toEqual([]);
  });
});
