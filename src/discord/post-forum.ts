import type { APIThreadChannel, RESTGetAPIGuildThreadsResult } from 'discord-api-types/v10';
import { type REST, Routes } from 'discord.js';
import { oneLine } from '../delivery/briefing';
import { clip } from '../delivery/discord-limits';
import type { DiscordMessage } from '../delivery/render-discord';
import { UNTITLED } from '../delivery/render-discord';
import { messageProblems } from '../delivery/discord-limits';
import { forumTagsFor } from './forum-tags';
import { CLOCK_SLACK_MS, type PostResult } from './post-message';
import { type SurfacePaused, surfaceFailure } from './surface-pause';

/** Discord's limit on a thread's (and so a forum post's) name. */
export const POST_TITLE_MAX = 100;

export interface ForumPostInput {
  forumId: string;
  /** The story's headline: the post's title. */
  headline: string;
  /** Topic names, tagged on the post (created or reused in the forum). */
  topics: readonly string[];
  /** The briefing, as the post's first message. */
  message: DiscordMessage;
  attempts?: number;
}

export type ForumPostResult =
  | { kind: 'sent'; threadId: string; untagged: string[]; note?: string }
  | Exclude<PostResult, { kind: 'sent' | 'paused' }>
  | SurfacePaused;

/** A forum post's title: the headline on one line, within Discord's limit. */
export const postTitle = (headline: string) => clip(oneLine(headline), POST_TITLE_MAX) || UNTITLED;

/**
 * The bot's post of this headline in the forum, made since the briefing was queued: one whose
 * creation went through although its answer never reached the bot (a crash, a lost response).
 * Creating a forum post takes no nonce, so this look-up is what keeps a retry from making a
 * second post. Only active posts are listed, which a just-made post is.
 */
export async function findForumPost(
  rest: REST,
  input: { guildId: string; forumId: string; headline: string; ownerId: string; since: string },
): Promise<string | undefined> {
  // Every channel in the list is a thread.
  const threads = (
    (await rest.get(Routes.guildActiveThreads(input.guildId))) as RESTGetAPIGuildThreadsResult
  ).threads as APIThreadChannel[];
  const title = postTitle(input.headline);
  const earliest = Date.parse(input.since) - CLOCK_SLACK_MS;
  return threads.find((t) => {
    const created = t.thread_metadata?.create_timestamp;
    return (
      t.parent_id === input.forumId &&
      t.owner_id === input.ownerId &&
      t.name === title &&
      created !== undefined &&
      Date.parse(created) >= earliest
    );
  })?.id;
}

/**
 * A briefing as a new forum post titled with its headline and tagged with its topics. Later
 * sources of the same story are replies in the post: `postMessage` to the returned thread id.
 */
export async function postToForum(rest: REST, input: ForumPostInput): Promise<ForumPostResult> {
  const problems = messageProblems(input.message);
  if (problems.length > 0)
    return { kind: 'dropped', reason: `invalid message: ${problems.join('; ')}` };
  try {
    const tags = await forumTagsFor(rest, input.forumId, input.topics);
    const { allowed_mentions, content, embeds } = input.message;
    const thread = (await rest.post(Routes.threads(input.forumId), {
      body: {
        name: postTitle(input.headline),
        applied_tags: tags.ids,
        message: { allowed_mentions, content, embeds },
      },
    })) as APIThreadChannel;
    return {
      kind: 'sent',
      threadId: thread.id,
      untagged: tags.untagged,
      ...(tags.note ? { note: tags.note } : {}),
    };
  } catch (err) {
    return surfaceFailure(err, 'forum', input.forumId, input.attempts ?? 0);
  }
}
