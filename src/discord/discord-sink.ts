import type { REST } from 'discord.js';
import { renderDigest } from '../delivery/render-digest';
import { renderDiscordMessage, type DiscordMessage } from '../delivery/render-discord';
import { channelOf } from '../domain/delivery';
import type { Outgoing, SendResult, Sink } from '../delivery/sink';
import { observe } from '../observe/metrics';
import { digest } from '../store/hash';
import { postMessage } from './post-message';
import { splitScoped } from '../catalog/scope';
import { type StoryPostsRepo, told } from '../store/story-posts';
import { createStoryPosting } from './story-posts';

export interface DiscordSinkDeps {
  rest: REST;
  topicName: (topicKey: string) => string;
  /** What each channel was posted of each story: one post per story, edited for later sources. */
  storyPosts?: StoryPostsRepo;
  /** @default () => new Date() */
  now?: () => Date;
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
  const stories =
    deps.storyPosts &&
    createStoryPosting({
      rest: deps.rest,
      posts: deps.storyPosts,
      now: deps.now ?? (() => new Date()),
    });
  return {
    async send(delivery, briefing) {
      const channelId = channelOf(delivery.target);
      if (!channelId) return NOT_A_CHANNEL;
      const { storyId } = delivery;
      if (delivery.update) {
        if (!stories || !storyId) return { kind: 'dropped', reason: 'no story post to update' };
        return stories.update({ ...delivery, storyId }, briefing);
      }
      const message = renderDiscordMessage(briefing, {
        mentionRoleId: delivery.mentionRoleId,
        topicId: delivery.topicIds[0] && splitScoped(delivery.topicIds[0]).id,
      });
      if (stories && storyId)
        return stories.post({ ...delivery, storyId }, briefing, channelId, message);
      return postMessage(deps.rest, channelId, message, delivery.nonce, delivery.attempts);
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
      // Told in this digest: a later source of these stories is not listed again.
      for (const { delivery, briefing } of batch) {
        if (!delivery.storyId || !deps.storyPosts) continue;
        const at = (deps.now?.() ?? new Date()).toISOString();
        const keys = [delivery.itemKey, ...(briefing.story?.sources ?? []).map((s) => s.itemKey)];
        const post = told({ postedAt: at, editedAt: at, itemKeys: [] }, keys);
        await deps.storyPosts.record(delivery.target, delivery.storyId, post);
      }
      return { kind: 'sent' };
    },
  };
}
