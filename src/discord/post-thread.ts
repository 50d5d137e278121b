import { type AutoArchiveMinutes, DEFAULT_AUTO_ARCHIVE } from '../services/surface-rules';
import type { APIThreadChannel } from 'discord-api-types/v10';
import { DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { DiscordMessage } from '../delivery/render-discord';
import { type PostResult, postMessage } from './post-message';
import { postTitle } from './post-forum';
import { type SurfacePaused, surfaceFailure } from './surface-pause';

/** The auto-archive durations Discord accepts, in minutes: an hour, a day, three days, a week. */
export interface ThreadedPostInput {
  channelId: string;
  message: DiscordMessage;
  nonce: string;
  /** The thread's name: the briefing's headline. */
  headline: string;
  autoArchiveMinutes?: AutoArchiveMinutes;
  attempts?: number;
}

/**
 * The briefing was posted or not as for a plain message; when it was, `thread` says whether its
 * discussion thread opened. A briefing is never held back because its thread cannot open.
 */
export type ThreadedPostResult =
  | Exclude<PostResult, { kind: 'sent' }>
  | {
      kind: 'sent';
      messageId: string;
      thread:
        | { kind: 'opened'; threadId: string }
        | SurfacePaused
        | { kind: 'failed'; reason: string };
    };

/**
 * Posts a briefing and opens a thread on it for discussion. A retry after a crash finds the
 * message by its nonce and the thread already there (160004), and counts both as done.
 */
export async function postWithThread(
  rest: REST,
  input: ThreadedPostInput,
): Promise<ThreadedPostResult> {
  const posted = await postMessage(
    rest,
    input.channelId,
    input.message,
    input.nonce,
    input.attempts,
  );
  if (posted.kind !== 'sent') return posted;
  try {
    const thread = (await rest.post(Routes.threads(input.channelId, posted.messageId), {
      body: {
        name: postTitle(input.headline),
        auto_archive_duration: input.autoArchiveMinutes ?? DEFAULT_AUTO_ARCHIVE,
      },
    })) as APIThreadChannel;
    return { ...posted, thread: { kind: 'opened', threadId: thread.id } };
  } catch (err) {
    if (
      err instanceof DiscordAPIError &&
      err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage
    )
      // A thread opened on a message has the message's id.
      return { ...posted, thread: { kind: 'opened', threadId: posted.messageId } };
    const failure = surfaceFailure(err, 'thread', input.channelId, input.attempts ?? 0);
    return {
      ...posted,
      thread: failure.kind === 'paused' ? failure : { kind: 'failed', reason: failure.reason },
    };
  }
}
