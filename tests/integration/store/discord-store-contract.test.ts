import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createGuildCatalogRepo,
  type GuildFeed,
  type GuildTopic,
} from '../../../src/store/guild-catalog';
import { createSubscriptionsRepo, type Subscription } from '../../../src/store/subscriptions';
import { backends, reachable, servicesRequired, type TestStore } from '../../support/stores';

const G1 = '300000000000000001';
const G2 = '300000000000000002';
const C1 = '300000000000000011';
const C2 = '300000000000000012';
const C3 = '300000000000000021';

function sub(over: Partial<Subscription> = {}): Subscription {
  return {
    guildId: G1,
    channelId: C1,
    topicId: 'energy',
    mode: 'instant',
    createdAt: '2026-11-28T10:00:00.000Z',
    ...over,
  };
}

function topic(id: string, query = 'gas OR oil'): GuildTopic {
  return {
    id,
    name: `Topic ${id}`,
    query,
    minScore: 2,
    createdBy: '100000000000000001',
    updatedAt: '2026-11-28T10:00:00.000Z',
  };
}

function feed(id: string): GuildFeed {
  return {
    id,
    url: `https://example.org/${id}.xml`,
    name: `Feed ${id}`,
    addedBy: '100000000000000001',
    addedAt: '2026-11-28T10:00:00.000Z',
  };
}

const channelsOf = (subs: Subscription[]) =>
  subs.map((s) => `${s.guildId.slice(-1)}/${s.channelId.slice(-2)}/${s.topicId}`).sort();

for (const backend of backends) {
  const available = await reachable(backend);
  describe.skipIf(!available && !servicesRequired)(
    `subscriptions and guild catalogue on ${backend.name}`,
    () => {
      let store: TestStore;
      beforeEach(async () => {
        store = await backend.open();
      });
      afterEach(async () => {
        await store.dispose();
      });

      it('a subscription is found by its topic and by its guild, and re-subscribing replaces it', async () => {
        const subs = createSubscriptionsRepo(store.kv);
        await subs.put(sub());
        await subs.put(
          sub({ channelId: C2, topicId: 'elections', mode: 'digest', digestTime: '08:00' }),
        );
        await subs.put(sub({ guildId: G2, channelId: C3 }));
        await subs.put(
          sub({ mode: 'digest', digestTime: '18:30', mentionRoleId: '300000000000000099' }),
        );

        expect(channelsOf(await subs.forTopics(['energy']))).toEqual([
          '1/11/energy',
          '2/21/energy',
        ]);
        expect(channelsOf(await subs.forGuild(G1))).toEqual(['1/11/energy', '1/12/elections']);
        const [replaced] = (await subs.forGuild(G1)).filter((s) => s.topicId === 'energy');
        expect(replaced).toMatchObject({
          mode: 'digest',
          digestTime: '18:30',
          mentionRoleId: '300000000000000099',
        });
        expect(await subs.forTopics([])).toEqual([]);
        expect(await subs.forTopics(['nobody-follows-this'])).toEqual([]);
      });

      it('unsubscribing removes one channel only, and removing a topic removes it in one guild only', async () => {
        const subs = createSubscriptionsRepo(store.kv);
        await subs.put(sub());
        await subs.put(sub({ channelId: C2 }));
        await subs.put(sub({ guildId: G2, channelId: C3 }));

        expect(await subs.remove(G1, C1, 'energy')).toBe(true);
        expect(await subs.remove(G1, C1, 'energy')).toBe(false);
        expect(channelsOf(await subs.forGuild(G1))).toEqual(['1/12/energy']);

        expect(await subs.removeTopic(G1, 'energy')).toBe(1);
        expect(await subs.forGuild(G1)).toEqual([]);
        expect(channelsOf(await subs.forTopics(['energy']))).toEqual(['2/21/energy']);
      });

      it('a paused channel shows its pause on every subscription until it is resumed, once each way', async () => {
        const subs = createSubscriptionsRepo(store.kv);
        await subs.put(sub());
        await subs.put(sub({ topicId: 'elections' }));
        await subs.put(sub({ channelId: C2 }));
        const pause = { reason: 'Missing Access (50001)', since: '2026-11-28T11:00:00.000Z' };

        expect(await subs.setChannelPaused(G1, C1, pause)).toBe(true);
        expect(await subs.setChannelPaused(G1, C1, pause)).toBe(false);
        const paused = (await subs.forGuild(G1)).filter((s) => s.paused);
        expect(channelsOf(paused)).toEqual(['1/11/elections', '1/11/energy']);
        expect(paused[0]?.paused).toEqual(pause);
        expect(await subs.pausedChannels()).toEqual({ [C1]: { ...pause, guildId: G1 } });

        expect(await subs.setChannelPaused(G1, C1, undefined)).toBe(true);
        expect(await subs.setChannelPaused(G1, C1, undefined)).toBe(false);
        expect((await subs.forTopics(['energy'])).some((s) => s.paused)).toBe(false);
      });

      it('reads a subscription stored before surfaces existed, and keeps the surface options', async () => {
        const subs = createSubscriptionsRepo(store.kv);
        // The exact shape earlier versions wrote: no layout, forum, thread, publish or webhook.
        await store.kv.set(`subs:guild:${G1}`, ['energy']);
        await store.kv.set('subs:topic:energy', [
          {
            guildId: G1,
            channelId: C1,
            topicId: 'energy',
            mode: 'instant',
            createdAt: '2026-01-02T00:00:00.000Z',
          },
        ]);
        const [old] = await subs.forGuild(G1);
        expect(old).toEqual({
          guildId: G1,
          channelId: C1,
          topicId: 'energy',
          mode: 'instant',
          createdAt: '2026-01-02T00:00:00.000Z',
        });
        await subs.put(
          sub({
            channelId: C2,
            layout: 'compact',
            threadArchiveMinutes: 60,
            webhook: { name: 'Energy desk', avatarUrl: 'https://cdn.example.org/a.png' },
          }),
        );
        const [stored] = (await subs.forGuild(G1)).filter((s) => s.channelId === C2);
        expect(stored).toMatchObject({
          layout: 'compact',
          threadArchiveMinutes: 60,
          webhook: { name: 'Energy desk', avatarUrl: 'https://cdn.example.org/a.png' },
        });
      });

      it("a refused surface shows on the channel's subscriptions until it works again, once each way", async () => {
        const subs = createSubscriptionsRepo(store.kv);
        await subs.put(sub());
        await subs.put(sub({ channelId: C2 }));
        const pause = { reason: 'Threads on briefings: paused', since: '2026-11-28T11:00:00.000Z' };
        expect(await subs.setSurfacePaused(G1, C1, 'thread', pause)).toBe(true);
        expect(await subs.setSurfacePaused(G1, C1, 'thread', pause)).toBe(false);
        const [c1, c2] = await subs.forTopics(['energy']);
        expect(c1?.surfacePaused).toEqual([{ surface: 'thread', ...pause }]);
        expect(c2?.surfacePaused).toBeUndefined();
        expect(c1?.paused).toBeUndefined();
        expect(await subs.setSurfacePaused(G1, C1, 'thread', undefined)).toBe(true);
        expect(await subs.setSurfacePaused(G1, C1, 'thread', undefined)).toBe(false);
        expect((await subs.forGuild(G1)).some((s) => s.surfacePaused)).toBe(false);
      });

      it('remembers which channels a feed reached, each once', async () => {
        const subs = createSubscriptionsRepo(store.kv);
        await subs.recordFeedChannels('news', [C1, C2]);
        await subs.recordFeedChannels('news', [C2, C1, C3]);
        expect(await subs.feedChannels('news')).toEqual([C1, C2, C3]);
        expect(await subs.feedChannels('other')).toEqual([]);
      });

      it("records a feed's channels with no atomic update once they are all known, and loses none added at once", async () => {
        let updates = 0;
        const counted = {
          ...store.kv,
          update: ((keys, plan) => (
            updates++, store.kv.update(keys, plan)
          )) as typeof store.kv.update,
        };
        const subs = createSubscriptionsRepo(counted);
        await Promise.all([
          subs.recordFeedChannels('news', [C1]),
          subs.recordFeedChannels('news', [C2]),
          subs.recordFeedChannels('news', [C3, C1]),
        ]);
        expect((await subs.feedChannels('news')).sort()).toEqual([C1, C2, C3].sort());
        const before = updates;
        await subs.recordFeedChannels('news', [C2, C3]);
        expect(updates).toBe(before);
        await subs.recordFeedChannels('news', [C2, 'c-new']);
        expect(updates).toBe(before + 1);
        expect(await subs.feedChannels('news')).toContain('c-new');
      });

      it('a notice is claimed once, even when two claims race', async () => {
        const subs = createSubscriptionsRepo(store.kv);
        const claims = await Promise.all([
          subs.claimNotice('feed-down:news', 60_000),
          subs.claimNotice('feed-down:news', 60_000),
        ]);
        expect(claims.sort()).toEqual([false, true]);
        expect(await subs.claimNotice('feed-down:other', 60_000)).toBe(true);
      });

      it('keeps each guild its own topics and feeds, replacing by id and listing all guilds at once', async () => {
        const catalog = createGuildCatalogRepo(store.kv);
        await catalog.putTopic(G1, topic('energy'));
        await catalog.putTopic(G1, topic('water'));
        await catalog.putTopic(G2, topic('energy', 'pipeline'));
        await catalog.putTopic(G1, topic('energy', 'gas NEAR/5 price'));
        await catalog.putFeed(G2, feed('local-news'));

        expect((await catalog.topics(G1)).map((t) => [t.id, t.query])).toEqual([
          ['water', 'gas OR oil'],
          ['energy', 'gas NEAR/5 price'],
        ]);
        expect((await catalog.topics(G2)).map((t) => t.query)).toEqual(['pipeline']);
        expect(await catalog.feeds(G1)).toEqual([]);
        expect(await catalog.feeds(G2)).toEqual([feed('local-news')]);
        const all = await catalog.all();
        expect(all.map((e) => [e.guildId, e.topics.length, e.feeds.length])).toEqual([
          [G1, 2, 0],
          [G2, 1, 1],
        ]);
      });

      it('removes a guild topic or feed by id and says whether there was one', async () => {
        const catalog = createGuildCatalogRepo(store.kv);
        await catalog.putTopic(G1, topic('energy'));
        await catalog.putFeed(G1, feed('local-news'));
        expect(await catalog.removeTopic(G1, 'energy')).toBe(true);
        expect(await catalog.removeTopic(G1, 'energy')).toBe(false);
        expect(await catalog.removeFeed(G2, 'local-news')).toBe(false);
        expect(await catalog.removeFeed(G1, 'local-news')).toBe(true);
        expect(await catalog.all()).toEqual([{ guildId: G1, topics: [], feeds: [] }]);
      });

      it('refuses to store an invalid subscription or feed', async () => {
        const subs = createSubscriptionsRepo(store.kv);
        const catalog = createGuildCatalogRepo(store.kv);
        await expect(subs.put(sub({ digestTime: '25:00' }))).rejects.toThrow();
        await expect(subs.put(sub({ channelId: 'general' }))).rejects.toThrow();
        await expect(catalog.putFeed(G1, { ...feed('x'), url: 'not a url' })).rejects.toThrow();
        expect(await subs.forGuild(G1)).toEqual([]);
      });
    },
  );
}
