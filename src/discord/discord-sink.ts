import type { REST } from 'discord.js';
import { renderDigest } from '../delivery/render-digest';
import { type DiscordMessage, renderDiscordMessage } from '../delivery/render-discord';
import { channelOf, type Delivery } from '../domain/delivery';
import type { Layout } from '../domain/layout';
import type { Logger } from '../log';
import type { Subscription, SubscriptionsRepo } from '../store/subscriptions';
import type { CrosspostQueue } from './crosspost-queue';
import type { PostedBriefing } from './edit-post';
import { createSurfacePoster } from './post-surface';
import type { Outgoing, SendResult, Sink } from '../delivery/sink';
import { observe } from '../observe/metrics';
import { digest } from '../store/hash';
import { postMessage } from './post-message';
import { splitScoped } from '../catalog/scope';
import { firstPost, type StoryPostsRepo } from '../store/story-posts';
import { toldKeys } from '../delivery/story-briefing';
import type { Briefing } from '../delivery/briefing';
import { createStoryPosting } from './story-posts';

export interface DiscordSinkDeps {
  rest: REST;
  topicName: (topicKey: string) => string;
  /** Where each delivery's subscription (its layout and surfaces) is read at send time. */
  subscriptions: Pick<SubscriptionsRepo, 'forTopics' | 'setSurfacePaused' | 'cardTemplate'>;
  /** The topic whose subscriptions a delivery's match id answers (guild-feed matches are scoped). */
  subscriptionTopic: (matchId: string) => string;
  applicationId: () => string;
  /** The bot's user id: the owner of the forum posts it made. */
  botUserId: () => string;
  crossposts: CrosspostQueue;
  clock: () => Date;
  logger: Logger;
  /** What each channel was posted of each story: one post per story, edited for later sources. */
  storyPosts?: StoryPostsRepo;
}

/** A digest covers the day since the previous one. */
const DIGEST_SPAN = '24h';

/**
 * The digest's messages: one run per topic (the delivery's first topic) in the layout of that
 * topic's subscription, the role pinged once.
 */
async function digestMessages(
  batch: Outgoing[],
  topicName: (key: string) => string,
  layoutOf: (delivery: Delivery) => Promise<Layout | undefined>,
): Promise<DiscordMessage[]> {
  const byTopic = new Map<string, Outgoing[]>();
  for (const o of batch) {
    const key = o.delivery.topicIds[0] ?? '';
    byTopic.set(key, [...(byTopic.get(key) ?? []), o]);
  }
  const mentionRoleId = batch.find((o) => o.delivery.mentionRoleId)?.delivery.mentionRoleId;
  const runs = await Promise.all(
    [...byTopic].map(async ([key, items], i) =>
      renderDigest(
        items.map((o) => o.briefing),
        {
          topicName: topicName(key),
          topicId: splitScoped(key).id,
          sinceLabel: DIGEST_SPAN,
          mentionRoleId: i === 0 ? mentionRoleId : undefined,
          layout: await layoutOf(items[0]!.delivery),
        },
      ),
    ),
  );
  return runs.flat();
}

/** A subscription that posts a plain card message in its channel (no forum, thread, webhook, publishing). */
function plainCard(sub: Subscription | undefined): boolean {
  return (
    !sub ||
    ((sub.layout ?? 'card') === 'card' &&
      !sub.forum &&
      sub.threadArchiveMinutes === undefined &&
      !sub.publish &&
      !sub.webhook)
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
  /**
   * The story counts as briefed to the target, with every source the briefing listed; its later
   * sources go to `threadId` (a forum post or thread) when there is one.
   */
  async function recordBriefed(
    delivery: Delivery,
    briefing: Briefing,
    where: { threadId?: string; posted?: PostedBriefing } = {},
  ) {
    if (!delivery.storyId || !deps.storyPosts) return;
    const post = firstPost(deps.clock().toISOString(), toldKeys(delivery.itemKey, briefing.story));
    const { threadId, posted } = where;
    await deps.storyPosts.record(delivery.target, delivery.storyId, {
      ...post,
      ...(threadId ? { threadId } : posted),
    });
  }
  const stories =
    deps.storyPosts &&
    createStoryPosting({
      rest: deps.rest,
      posts: deps.storyPosts,
      now: deps.clock,
      edit: poster.edit,
    });
  return {
    async send(delivery, briefing) {
      const channelId = channelOf(delivery.target);
      if (!channelId) return NOT_A_CHANNEL;
      const { storyId } = delivery;
      if (delivery.update) {
        if (!stories || !storyId) return { kind: 'dropped', reason: 'no story post to update' };
        const result = await stories.update({ ...delivery, storyId }, briefing);
        if (result.kind !== 'untold') return result;
        // Not a failure: the story was told here, and this source has nowhere left to go.
        deps.logger.debug('later source not told', {
          channelId,
          storyId,
          itemKey: delivery.itemKey,
          reason: result.reason,
        });
        return { kind: 'sent' };
      }
      const sub = await subscriptionOf(delivery, channelId);
      // A plain card lists the sources already known when it is posted; every other surface
      // posts as its subscription asks and is told later sources the same way, as below.
      if (stories && storyId && plainCard(sub)) {
        const template = sub && (await deps.subscriptions.cardTemplate(sub.guildId));
        const message = renderDiscordMessage(briefing, {
          mentionRoleId: delivery.mentionRoleId,
          topicId: delivery.topicIds[0] && splitScoped(delivery.topicIds[0]).id,
          ...(template ? { template } : {}),
        });
        return stories.post({ ...delivery, storyId }, briefing, channelId, message);
      }
      const result = await poster.send(channelId, sub, delivery, briefing);
      if (result.kind !== 'sent') return result;
      // A forum post or thread takes the story's later sources as messages; any other post
      // (a webhook's, a published one, a compact line) is edited to list them.
      await recordBriefed(delivery, briefing, result);
      return { kind: 'sent' };
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
      const messages = await digestMessages(
        batch,
        deps.topicName,
        async (delivery) => (await subscriptionOf(delivery, channelId))?.layout,
      );
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
      // Told in this digest: a later source of these stories is not listed again.
      for (const { delivery, briefing } of batch) await recordBriefed(delivery, briefing);
      return { kind: 'sent' };
    },
  };
}
