import type { StoryPostsRepo } from '../store/story-posts';
import { firstPost, told } from '../store/story-posts';
import { toldKeys } from './story-briefing';
import type { Sink } from './sink';
import { renderConsoleBlock, renderConsoleJson } from './render-console';

export interface ConsoleSinkOptions {
  /** One JSON object per briefing instead of a readable block. */
  json: boolean;
  /** ANSI colours; pass `process.stdout.isTTY`. */
  color: boolean;
  write: (text: string) => void;
  /** Where what the terminal was told of each story is recorded (absent: nothing is recorded). */
  storyPosts?: StoryPostsRepo;
  /** @default () => new Date() */
  now?: () => Date;
}

/** Prints briefings to the terminal: the sink of console mode and of `poll --once`. */
export function createConsoleSink(options: ConsoleSinkOptions): Sink {
  const now = options.now ?? (() => new Date());
  return {
    async send(delivery, briefing) {
      const { storyId } = delivery;
      const post =
        storyId && options.storyPosts
          ? await options.storyPosts.get(delivery.target, storyId)
          : undefined;
      // The story's briefing already listed this source: nothing more to tell.
      if (delivery.update && post?.itemKeys.includes(delivery.itemKey)) return { kind: 'sent' };
      options.write(
        options.json
          ? `${renderConsoleJson(briefing)}\n`
          : `${renderConsoleBlock(briefing, { color: options.color })}\n\n`,
      );
      if (storyId && options.storyPosts) {
        // Printed, then recorded: a crash in between prints it again on the next drain (a
        // terminal has no nonce), it never loses it.
        // Every source the briefing listed counts as told: none of them comes back as an update.
        const keys = toldKeys(delivery.itemKey, briefing.story);
        const record = post ? told(post, keys) : firstPost(now().toISOString(), keys);
        try {
          await options.storyPosts.record(delivery.target, storyId, record);
        } catch (err) {
          return { kind: 'sent', unrecorded: err };
        }
      }
      return { kind: 'sent' };
    },
  };
}
