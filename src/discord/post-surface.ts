import { splitScoped } from '../catalog/scope';
import type { REST } from 'discord.js';
import type { Briefing } from '../delivery/briefing';
import type { DiscordMessage } from '../delivery/render-discord';
import { renderInLayout } from '../delivery/render-layout';
import type { SendResult } from '../delivery/sink';
import { DEFAULT_LAYOUT } from '../domain/layout';
import type { Delivery } from '../domain/delivery';
import type { Subscription, SurfaceName } from '../store/subscriptions';
import type { CrosspostQueue } from './crosspost-queue';
import { findForumPost, postToForum } from './post-forum';
import { createPostEditor, type PostedBriefing } from './edit-post';
import { type PostResult, postMessage } from './post-message';
import { postWithThread } from './post-thread';
import { type SurfacePaused, surfaceFailure } from './surface-pause';
import { isAutoArchiveMinutes } from '../services/surface-rules';
import { postWithIdentity, type WebhookCredentials } from './webhook-identity';

export interface SurfacePosterDeps {
  rest: REST;
  topicName: (topicKey: string) => string;
  /** The server's card template, if it set one. */
  cardTemplate: (guildId: string) => Promise<string | undefined>;
  /** The bot's application id: its own webhooks are found by it. */
  applicationId: () => string;
  /** The bot's user id: the owner of the forum posts it made. */
  botUserId: () => string;
  crossposts: CrosspostQueue;
  /** Told whether a subscription's surface worked (undefined) or Discord refused it, after every use. */
  onSurface: (
    sub: Subscription,
    surface: SurfaceName,
    pause: SurfacePaused | undefined,
  ) => Promise<void>;
}

/**
 * A posted briefing says where its story's later sources go: its forum post or thread, or else
 * the message to edit (as posted, and the webhook that posted it, which alone may edit it).
 */
export type SurfaceResult =
  | Exclude<SendResult, { kind: 'sent' }>
  | { kind: 'sent'; threadId?: string; posted?: PostedBriefing };

/**
 * Posts one briefing the way its subscription asks: in its layout, as a forum post, with a
 * thread, through a webhook, published to followers. The briefing itself is what the result
 * reports; a surface that fails around a posted briefing is reported to `onSurface` instead, so
 * the briefing is not posted again for it.
 */
export function createSurfacePoster(deps: SurfacePosterDeps) {
  /** Webhooks by channel: found again (by application id) after a restart, never stored. */
  const webhooks = new Map<string, WebhookCredentials>();

  /** The briefing in the subscription's layout; a card in the server's template when it has one. */
  async function render(sub: Subscription | undefined, delivery: Delivery, briefing: Briefing) {
    const layout = sub?.layout ?? DEFAULT_LAYOUT;
    const template = sub && layout === 'card' ? await deps.cardTemplate(sub.guildId) : undefined;
    return renderInLayout(layout, briefing, {
      mentionRoleId: delivery.mentionRoleId,
      // A folded message's `/briefing` hint names the topic as people see it.
      topicId: delivery.topicIds[0] && splitScoped(delivery.topicIds[0]).id,
      ...(template ? { template } : {}),
    });
  }

  async function post(
    channelId: string,
    sub: Subscription | undefined,
    delivery: Delivery,
    briefing: Briefing,
    message: DiscordMessage,
  ): Promise<
    | Exclude<PostResult, { kind: 'sent' }>
    | { kind: 'sent'; messageId: string; threadId?: string; webhookId?: string }
  > {
    const { nonce, attempts } = delivery;
    if (sub?.webhook) {
      const posted = await postWithIdentity(deps.rest, {
        channelId,
        applicationId: deps.applicationId(),
        message,
        nonce,
        identity: { username: sub.webhook.name, avatarUrl: sub.webhook.avatarUrl },
        webhook: webhooks.get(channelId),
        attempts,
        // A send cut short, or one that failed, may have posted after all.
        ...(delivery.sendingSince !== undefined || attempts > 0
          ? { cutShortSince: delivery.createdAt }
          : {}),
      });
      if (posted.webhook) webhooks.set(channelId, posted.webhook);
      else webhooks.delete(channelId);
      if (posted.result.kind !== 'sent') return posted.result;
      await deps.onSurface(sub, 'webhook', posted.fallback);
      // Posted as the bot itself when the webhook surface is paused: the bot edits it then.
      return posted.webhook && !posted.fallback
        ? { ...posted.result, webhookId: posted.webhook.id }
        : posted.result;
    }
    const minutes = sub?.threadArchiveMinutes;
    if (sub && minutes !== undefined) {
      const posted = await postWithThread(deps.rest, {
        channelId,
        message,
        nonce,
        headline: briefing.item.title,
        ...(isAutoArchiveMinutes(minutes) ? { autoArchiveMinutes: minutes } : {}),
        attempts,
      });
      if (posted.kind !== 'sent') return posted;
      await deps.onSurface(
        sub,
        'thread',
        posted.thread.kind === 'paused' ? posted.thread : undefined,
      );
      return {
        kind: 'sent',
        messageId: posted.messageId,
        ...(posted.thread.kind === 'opened' ? { threadId: posted.thread.threadId } : {}),
      };
    }
    return postMessage(deps.rest, channelId, message, nonce, attempts);
  }

  async function send(
    channelId: string,
    sub: Subscription | undefined,
    delivery: Delivery,
    briefing: Briefing,
  ): Promise<SurfaceResult> {
    const message = await render(sub, delivery, briefing);
    if (sub?.forum) {
      // A send cut short, or one that failed, may have made the post after all: that one is the story's.
      if (delivery.sendingSince !== undefined || delivery.attempts > 0) {
        try {
          const threadId = await findForumPost(deps.rest, {
            guildId: sub.guildId,
            forumId: channelId,
            headline: briefing.item.title,
            ownerId: deps.botUserId(),
            since: delivery.createdAt,
          });
          if (threadId) return { kind: 'sent', threadId };
        } catch (err) {
          return surfaceFailure(err, 'forum', channelId, delivery.attempts);
        }
      }
      const posted = await postToForum(deps.rest, {
        forumId: channelId,
        headline: briefing.item.title,
        topics: delivery.topicIds.map(deps.topicName),
        message,
        attempts: delivery.attempts,
      });
      // A refused forum is the whole channel refused: the channel's pause holds its briefings.
      return posted.kind === 'sent' ? { kind: 'sent', threadId: posted.threadId } : posted;
    }
    const posted = await post(channelId, sub, delivery, briefing, message);
    if (posted.kind !== 'sent') return posted;
    const { threadId, messageId, webhookId } = posted;
    if (sub?.publish) {
      // Stored before the delivery leaves the outbox: a crash in between posts again with the
      // same nonce, Discord answers with the same message, and it is queued then.
      await deps.crossposts.enqueue(channelId, posted.messageId);
      await deps.crossposts.drain();
      await deps.onSurface(sub, 'crosspost', (await deps.crossposts.status(channelId)).paused);
    }
    return {
      kind: 'sent',
      ...(threadId ? { threadId } : {}),
      posted: { channelId, messageId, message, ...(webhookId ? { webhookId } : {}) },
    };
  }

  return { send, edit: createPostEditor(deps.rest, webhooks, deps.applicationId) };
}
