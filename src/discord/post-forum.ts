import type { APIThreadChannel } from 'discord-api-types/v10';
import { type REST, Routes } from 'discord.js';
import { oneLine } from '../delivery/briefing';
import { clip } from '../delivery/discord-limits';
import type { DiscordMessage } from '../delivery/render-discord';
import { UNTITLED } from '../delivery/render-discord';
import { messageProblems } from '../delivery/discord-limits';
import { forumTagsFor } from './forum-tags';
import type { PostResult } from './post-message';
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
        name: clip(oneLine(input.headline), POST_TITLE_MAX) || UNTITLED,
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
