import { describe, expect, it } from 'vitest';
import { createChannelHealth } from '../../../src/discord/channel-health';
import type { Notices } from '../../../src/discord/notices';
import { memoryLogger } from '../../../src/log';
import { newDelivery, type OutboxRepo } from '../../../src/store/outbox';
import type { Delivery } from '../../../src/domain/delivery';
import type {
  Pause,
  PausedChannels,
  Subscription,
  SubscriptionsRepo,
} from '../../../src/store/subscriptions';

const G = '300000000000000001';
const C = '300000000000000011';
const NOW = new Date('2026-11-28T12:00:00Z');
const channel = (channelId: string) => ({ kind: 'channel' as const, channelId });
const digestOf = (channelId: string) => ({ kind: 'digest' as const, channelId });
const REFUSED = { kind: 'paused', reason: 'Missing Access (50001)' } as const;

function setup() {
  const paused: PausedChannels = {};
  const subs: Subscription[] = [
    { guildId: G, channelId: C, topicId: 'energy', mode: 'instant', createdAt: '' },
  ];
  const subscriptions = {
    forTopics: async (ids: string[]) => subs.filter((s) => ids.includes(s.topicId)),
    pausedChannels: async () => ({ ...paused }),
    async setChannelPaused(guildId: string, channelId: string, pause: Pause | undefined) {
      if (Boolean(paused[channelId]) === Boolean(pause)) return false;
      if (pause) paused[channelId] = { ...pause, guildId };
      else delete paused[channelId];
      return true;
    },
  } as unknown as SubscriptionsRepo;
  const held = new Map<string, Delivery>();
  const outbox = {
    pending: async () => [...held.values()],
    update: async (d: Delivery) => void held.set(d.id, d),
  } as unknown as OutboxRepo;
  const told: string[] = [];
  const notices: Notices = {
    channelPaused: async (_g, channelId, p) => void told.push(`paused ${channelId} ${p.reason}`),
    channelResumed: async (channelId) => void told.push(`resumed ${channelId}`),
    feedFailing: async () => {},
  };
  const health = createChannelHealth({
    subscriptions,
    outbox,
    notices,
    subscriptionTopic: (matchId) => matchId.replace(/^\d+_/, ''),
    clock: () => NOW,
    logger: memoryLogger(),
  });
  return { health, paused, held, told };
}

describe('channel health', () => {
  it("pauses a refusing channel once, also for a guild feed's scoped match, and tells the server once", async () => {
    const { health, paused, told } = setup();
    const delivery = newDelivery(channel(C), 'k1', [`${G}_energy`], NOW);
    await health.onResult([delivery], REFUSED);
    expect(paused).toEqual({
      [C]: { guildId: G, reason: 'Missing Access (50001)', since: NOW.toISOString() },
    });
    await health.onResult([newDelivery(channel(C), 'k2', ['energy'], NOW)], REFUSED);
    expect(told).toEqual([`paused ${C} Missing Access (50001)`]);
  });

  it('resumes on the first accepted post, releasing held deliveries but not a digest waiting for its time', async () => {
    const { health, paused, held, told } = setup();
    await health.onResult([newDelivery(channel(C), 'k1', ['energy'], NOW)], REFUSED);
    const hold = { notBefore: '2026-11-28T13:00:00.000Z', lastError: 'Missing Access (50001)' };
    held.set('a', { ...newDelivery(channel(C), 'a', ['energy'], NOW), ...hold, id: 'a' });
    held.set('b', {
      ...newDelivery(digestOf(C), 'b', ['energy'], NOW),
      notBefore: '2026-11-29T08:00:00.000Z',
      id: 'b',
    });
    held.set('c', { ...newDelivery(digestOf(C), 'c', ['energy'], NOW), ...hold, id: 'c' });

    await health.onResult([newDelivery(channel(C), 'k1', ['energy'], NOW)], { kind: 'sent' });
    expect(paused).toEqual({});
    expect([...held.values()].map((d) => [d.itemKey, d.notBefore])).toEqual([
      ['a', undefined],
      ['b', '2026-11-29T08:00:00.000Z'],
      ['c', undefined],
    ]);
    expect(told).toEqual([`paused ${C} Missing Access (50001)`, `resumed ${C}`]);
  });
});
