import { channelOf } from '../domain/delivery';
import type { SendResult } from '../delivery/sink';
import type { Logger } from '../log';
import type { Delivery } from '../domain/delivery';
import type { OutboxRepo } from '../store/outbox';
import type { SubscriptionsRepo } from '../store/subscriptions';
import type { Notices } from './notices';

export interface ChannelHealthDeps {
  subscriptions: SubscriptionsRepo;
  outbox: OutboxRepo;
  notices: Notices;
  /** The topic whose subscriptions a delivery's match id answers (guild-feed matches are scoped). */
  subscriptionTopic: (matchId: string) => string;
  clock: () => Date;
  logger: Logger;
}

/**
 * Which channels refuse us. A channel that answers 403/404 is paused (its subscriptions say so in
 * /topics and /feed status, the server is told once) and its deliveries are held; the drain tries
 * one held delivery an hour, and the first one accepted resumes the channel and releases the rest.
 * An admin re-running /subscribe resumes it at once.
 */
export interface ChannelHealth {
  /** The drain's hook: told the result of every send. */
  onResult(deliveries: Delivery[], result: SendResult): Promise<void>;
  resume(guildId: string, channelId: string): Promise<void>;
}

export function createChannelHealth(deps: ChannelHealthDeps): ChannelHealth {
  let paused: Promise<Map<string, { guildId: string; reason: string; since: string }>> | undefined;
  const pausedNow = () =>
    (paused ??= deps.subscriptions.pausedChannels().then(
      (m) => new Map(Object.entries(m)),
      (err: unknown) => {
        paused = undefined; // a store hiccup must not be remembered as the answer
        throw err;
      },
    ));

  /** Held deliveries to the channel become due now; digests still waiting for their time keep it. */
  async function release(channelId: string) {
    for (const d of await deps.outbox.pending()) {
      const digest = d.target.kind === 'digest';
      if (channelOf(d.target) !== channelId || !d.notBefore || (digest && !d.lastError)) continue;
      const { notBefore: _held, ...due } = d;
      await deps.outbox.update(due);
    }
  }

  async function resume(guildId: string, channelId: string) {
    const map = await pausedNow();
    const pause = map.get(channelId);
    if (!pause || !(await deps.subscriptions.setChannelPaused(guildId, channelId, undefined)))
      return undefined;
    map.delete(channelId);
    await release(channelId);
    deps.logger.info('channel resumed', { guildId, channelId });
    return pause;
  }

  async function pause(deliveries: Delivery[], reason: string) {
    const channelId = channelOf(deliveries[0]!.target);
    if (!channelId) return;
    const map = await pausedNow();
    if (map.has(channelId)) return;
    const subs = await deps.subscriptions.forTopics(
      deliveries.flatMap((d) => d.topicIds.map(deps.subscriptionTopic)),
    );
    const guildId = subs.find((s) => s.channelId === channelId)?.guildId;
    if (!guildId) return; // unsubscribed meanwhile: nothing left to pause
    const record = { reason, since: deps.clock().toISOString() };
    if (!(await deps.subscriptions.setChannelPaused(guildId, channelId, record))) return;
    map.set(channelId, { guildId, ...record });
    deps.logger.warn('channel refuses posts: its subscriptions are paused', {
      guildId,
      channelId,
      reason,
    });
    await deps.notices.channelPaused(guildId, channelId, record);
  }

  return {
    async onResult(deliveries, result) {
      if (deliveries.length === 0) return;
      if (result.kind === 'paused') await pause(deliveries, result.reason);
      if (result.kind !== 'sent') return;
      const channelId = channelOf(deliveries[0]!.target);
      if (!channelId) return;
      const entry = (await pausedNow()).get(channelId);
      if (!entry) return;
      const was = await resume(entry.guildId, channelId);
      if (was) await deps.notices.channelResumed(channelId, was);
    },
    async resume(guildId, channelId) {
      await resume(guildId, channelId);
    },
  };
}
