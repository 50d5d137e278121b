/**
 * A story's one post per channel, and the edits that list its later sources. Posting records
 * the message (target × story → message); a later source edits it, at most once a minute, and
 * not at all once the post is older than a set age (the source is then not told: a day-old post
 * grown a new line helps nobody, and a new post would be the duplicate stories exist to avoid).
 * A story briefed as a forum post or with a thread is recorded with that thread instead, and its
 * later sources are told there as a message, at the same pace and within the same age. A post
 * made through a webhook is edited through that webhook; a published one is edited in place
 * (Discord carries the edit to the servers that follow the channel).
 *
 * A later source that cannot be told (the post is too old, deleted, or its webhook is gone) is
 * `untold`: settled without a post, the reason logged quietly, since nothing is wrong.
 *
 * Crash safety: the delivery leaves the outbox only after its post is recorded. A crash between
 * Discord's answer and the record leaves the delivery pending; its retry posts with the same
 * nonce (derived from target × story) and `enforce_nonce`, so Discord answers with the message it
 * already created, which is then recorded. (Discord remembers nonces for a few minutes; a bot
 * down for longer than that may post a story twice after such a crash, never lose it.) A
 * webhook's execute takes no nonce (discord/discord-api-docs#6647): its retry first looks for the
 * webhook's own message of the briefing in the channel (`findWebhookPost`), which needs Read
 * Message History. An edit needs no nonce, being the same whenever it is repeated.
 */
import { type REST, Routes } from 'discord.js';
import type { Briefing } from '../delivery/briefing';
import type { DiscordMessage } from '../delivery/render-discord';
import { renderLaterSources, withSources } from '../delivery/render-sources';
import type { SendResult } from '../delivery/sink';
import { alsoReportedBy, toldKeys } from '../delivery/story-briefing';
import type { Delivery } from '../domain/delivery';
import { type StoryPost, type StoryPostsRepo, told } from '../store/story-posts';
import { type EditResult, editMessage, postMessage } from './post-message';
import type { PostedBriefing } from './edit-post';

/** A story's post is edited at most this often; later sources wait and share one edit. */
export const STORY_EDIT_EVERY_MS = 60_000;
/** After this a story's post is no longer edited. */
export const STORY_EDIT_MAX_AGE_MS = 24 * 60 * 60_000;

export interface StoryPostingDeps {
  rest: REST;
  posts: StoryPostsRepo;
  now: () => Date;
  /** @default STORY_EDIT_EVERY_MS */
  editEveryMs?: number;
  /** @default STORY_EDIT_MAX_AGE_MS */
  maxEditAgeMs?: number;
  /**
   * Rewrites a story's post the way it was posted (as the bot, or through its webhook).
   * @default an edit of the bot's own message
   */
  edit?: (posted: PostedBriefing, message: DiscordMessage, attempts: number) => Promise<EditResult>;
}

/** A later source's outcome: `untold` when it has nowhere left to go (nothing is sent). */
export type UpdateResult = SendResult | { kind: 'untold'; reason: string };

/** The item keys a message lists: the one briefed and every source named with it. */
function listed(briefing: Briefing, itemKey: string, before: string[] = []): string[] {
  return [...new Set([...before, ...toldKeys(itemKey, briefing.story)])];
}

export function createStoryPosting(deps: StoryPostingDeps) {
  const editEvery = deps.editEveryMs ?? STORY_EDIT_EVERY_MS;
  const maxAge = deps.maxEditAgeMs ?? STORY_EDIT_MAX_AGE_MS;
  const edit =
    deps.edit ??
    ((p: PostedBriefing, message: DiscordMessage, attempts: number) =>
      editMessage(
        deps.rest,
        { route: Routes.channelMessage(p.channelId, p.messageId) },
        message,
        attempts,
      ));

  /** Posts the story's first briefing in the channel (listing any source known already) and records it. */
  async function post(
    delivery: Delivery & { storyId: string },
    briefing: Briefing,
    channelId: string,
    message: DiscordMessage,
  ): Promise<SendResult> {
    const shown = withSources(message, alsoReportedBy(briefing.story, delivery.itemKey));
    const result = await postMessage(
      deps.rest,
      channelId,
      shown,
      delivery.nonce,
      delivery.attempts,
    );
    if (result.kind !== 'sent') return result;
    const at = deps.now().toISOString();
    await deps.posts.record(delivery.target, delivery.storyId, {
      postedAt: at,
      editedAt: at,
      itemKeys: [...new Set(listed(briefing, delivery.itemKey))],
      messageId: result.messageId,
      channelId,
      message,
    });
    return { kind: 'sent' };
  }

  /** Lists a later source on the story's post: now, in the next batched edit, or never (too old). */
  async function update(
    delivery: Delivery & { storyId: string },
    briefing: Briefing,
  ): Promise<UpdateResult> {
    const post = await deps.posts.get(delivery.target, delivery.storyId);
    const now = deps.now().getTime();
    if (!post) {
      // The story's briefing has not been posted yet (it is held or failing): wait for it, but
      // not past the age at which its post would no longer be edited anyway.
      return now - Date.parse(delivery.createdAt) > maxAge
        ? { kind: 'untold', reason: 'the story was never posted here' }
        : { kind: 'retry', afterMs: editEvery, reason: 'the story post is not made yet' };
    }
    // The post (when it was made, or an edit since) already lists this source.
    if (post.itemKeys.includes(delivery.itemKey)) return { kind: 'sent' };
    const { threadId, messageId, channelId, message, webhookId } = post;
    // Briefed in a digest, or recorded before such posts were: there is no message to edit.
    if (!threadId && !(messageId && channelId && message))
      return { kind: 'untold', reason: 'the story has no recorded post to edit' };
    if (now - Date.parse(post.postedAt) > maxAge)
      return { kind: 'untold', reason: 'the story post is too old to list more sources' };
    const since = now - Date.parse(post.editedAt);
    if (since < editEvery)
      return {
        kind: 'retry',
        afterMs: editEvery - since,
        reason: 'story post edited less than a minute ago: sources are batched',
      };
    if (threadId) return reply({ ...post, threadId }, delivery, briefing, now);
    const shown = withSources(
      message as DiscordMessage,
      alsoReportedBy(briefing.story, post.itemKeys[0] ?? delivery.itemKey),
    );
    const posted = {
      channelId: channelId!,
      messageId: messageId!,
      message: message as DiscordMessage,
      ...(webhookId ? { webhookId } : {}),
    };
    const result = await edit(posted, shown, delivery.attempts);
    if (result.kind === 'gone') return { kind: 'untold', reason: result.reason };
    if (result.kind !== 'sent') return result;
    await deps.posts.record(delivery.target, delivery.storyId, {
      ...told(post, listed(briefing, delivery.itemKey)),
      editedAt: new Date(now).toISOString(),
    });
    return result;
  }

  /**
   * Tells the sources the post has not told yet as one message in its forum post or thread. The
   * delivery's nonce makes a retry after a crash answer with the same message.
   */
  async function reply(
    post: StoryPost & { threadId: string },
    delivery: Delivery & { storyId: string },
    briefing: Briefing,
    now: number,
  ): Promise<SendResult> {
    const known = briefing.story?.sources ?? [];
    const untold = known.filter((s) => !post.itemKeys.includes(s.itemKey));
    const sources = untold.some((s) => s.itemKey === delivery.itemKey)
      ? untold
      : [
          ...untold,
          {
            itemKey: delivery.itemKey,
            title: briefing.item.title,
            feedName: briefing.feedName,
            ...(briefing.item.link ? { link: briefing.item.link } : {}),
          },
        ];
    const result = await postMessage(
      deps.rest,
      post.threadId,
      renderLaterSources(sources),
      delivery.nonce,
      delivery.attempts,
    );
    if (result.kind !== 'sent') return result;
    await deps.posts.record(delivery.target, delivery.storyId, {
      ...told(
        post,
        sources.map((s) => s.itemKey),
      ),
      editedAt: new Date(now).toISOString(),
    });
    return { kind: 'sent' };
  }

  return { post, update };
}
