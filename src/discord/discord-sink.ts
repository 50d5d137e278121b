import type { REST } from 'discord.js';
import { renderDigest } from '../delivery/render-digest';
import type { DiscordMessage } from '../delivery/render-discord';
import { channelOf, type Delivery } from '../domain/delivery';
import type { Logger } from '../log';
import type { SubscriptionsRepo } from '../store/subscriptions';
import type { CrosspostQueue } from './crosspost-queue';
import { createSurfacePoster } from './post-surface';
import type { Outgoing, SendResult, Sink } from '../delivery/sink';
import { observe } from '../observe/metrics';
import { digest } from '../store/hash';
import { postMessage } from './post-message';
import { splitScoped } from '../catalog/scope';

export interface DiscordSinkDeps {
  rest: REST;
  topicName: (topicKey: string) => string;
  /** Where each delivery's subscription (its layout and surfaces) is read at send time. */
  subscriptions: Pick<SubscriptionsRepo, 'forTopics' | 'setSurfacePaused' | 'cardTemplate'>;
  /** The topic whose subscriptions a delivery's match id answers (guild-feed matches are scoped). */
  subscriptionTopic: (matchId: string) => string;
  applicationId: () => string;
  crossposts: CrosspostQueue;
  clock: () => Date;
  logger: Logger;
}

/** A digest covers the day since the previous one. */
const DIGEST_SPAN = '24h';

/** The digest's messages: one run per topic (the delivery's first topic), the role pinged once. */
function digestMessages(batch: Outgoing[], topicName: (key: string) => string): DiscordMessage[] {
  const byTopic = new Map<string, Outgoing[]>();
  for (const o of batch) {
    const key = o.delivery.topicIds[0] ?? '';
    byTopic.set(key, [...(byTopic.get(key) ?? []), o]);
  }
  const mentionRoleId = batch.find((o) => o.delivery.mentionRoleId)?.delivery.mentionRoleId;
  return [...byTopic].flatMap(([key, items], i) =>
    renderDigest(
      items.map((o) => o.briefing),
      {
        topicName: topicName(key),
        topicId: splitScoped(key).id,
        sinceLabel: DIGEST_SPAN,
        mentionRoleId: i === 0 ? mentionRoleId : undefined,
      },
    ),
  );
}

/** A console delivery queued before the bot got a token has no channel to go to. */
const NOT_A_CHANNEL: SendResult = {
  kind: 'dropped',
  reason: 'the target is not a Discord channel',
};

/** Posts briefings to Discord channels over REST (discord.js waits out rate limits itself). */
export function createDiscordSink(deps: DiscordSinkDeps): Sink {
  observe.discordResponses(deps.rest);
  /**
   * The subscription a delivery came from: the channel's subscription to its first (best) topic.
   * Read when sending rather than carried on the delivery, so a changed `/subscribe` applies to
   * briefings already queued, and deliveries queued before surfaces existed need no migration.
   */
  async function subscriptionOf(delivery: Delivery, channelId: string) {
    const keys = delivery.topicIds.map(deps.subscriptionTopic);
    const subs = (await deps.subscriptions.forTopics(keys)).filter(
      (s) => s.channelId === channelId,
    );
    return keys.map((k) => subs.find((s) => s.topicId === k)).find((s) => s !== undefined);
  }
  const poster = createSurfacePoster({
    ...deps,
    cardTemplate: (guildId) => deps.subscriptions.cardTemplate(guildId),
    onSurface: async (sub, surface, pause) => {
      const record = pause && { reason: pause.reason, since: deps.clock().toISOString() };
      const changed = await deps.subscriptions.setSurfacePaused(
        sub.guildId,
        sub.channelId,
        surface,
        record,
      );
      if (changed && pause)
        deps.logger.warn('surface paused', {
          channelId: sub.channelId,
          surface,
          reason: pause.reason,
        });
    },
  });
  return {
    async send(delivery, briefing) {
      const channelId = channelOf(delivery.target);
      if (!channelId) return NOT_A_CHANNEL;
      const sub = await subscriptionOf(delivery, channelId);
      return poster(channelId, sub, delivery, briefing);
    },
    async sendDigest(batch) {
      const first = batch[0];
      if (!first) return { kind: 'sent' };
      const channelId = channelOf(first.delivery.target);
      if (!channelId) return NOT_A_CHANNEL;
      // The same batch gives the same nonces, so a retry does not repeat the messages already posted.
      const batchId = digest(
        batch
          .map((o) => o.delivery.id)
          .sort()
          .join(','),
        16,
      );
      const attempts = Math.max(...batch.map((o) => o.delivery.attempts));
      const messages = digestMessages(batch, deps.topicName);
      for (const [i, message] of messages.entries()) {
        const result = await postMessage(
          deps.rest,
          channelId,
          message,
          `${batchId}-${i}`,
          attempts,
        );
        if (result.kind !== 'sent') return result;
      }
      return { kind: 'sent' };
    },
  };
}
