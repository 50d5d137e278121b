import { encodeTarget, type Target } from '../domain/delivery';
import { digest } from './hash';
import type { KV } from './kv';

/** At most this many item keys are remembered per post: enough to tell a repeat from a new source. */
const MAX_TOLD = 50;

/**
 * What a target was told of one story: when it was posted, which of the story's items it has
 * told (the briefed one first, then each update), and on Discord the message to edit.
 */
export interface StoryPost {
  postedAt: string;
  /** The last time the post was (re)written with the story's sources: edits are batched from it. */
  editedAt: string;
  itemKeys: string[];
  /** Discord only: the posted message, and its body as posted before any source was listed. */
  messageId?: string;
  channelId?: string;
  message?: unknown;
  /** Discord only: the webhook that posted the message (only it may edit it); never its token. */
  webhookId?: string;
  /**
   * Discord only: the story's forum post, or the discussion thread opened on its briefing. Later
   * sources are told there, as a message, instead of by editing the first one.
   */
  threadId?: string;
}

export interface StoryPostsRepo {
  get(target: Target, storyId: string): Promise<StoryPost | undefined>;
  getMany(pairs: Array<{ target: Target; storyId: string }>): Promise<Array<StoryPost | undefined>>;
  /** Writes the record whole; a later source's update passes the record with its key added. */
  record(target: Target, storyId: string, post: StoryPost): Promise<void>;
}

/** The first record of a story told at `at`. */
export function firstPost(at: string, itemKeys: string[]): StoryPost {
  return told({ postedAt: at, editedAt: at, itemKeys: [] }, itemKeys);
}

/** The record with `itemKeys` told too (kept to the last MAX_TOLD). */
export function told(post: StoryPost, itemKeys: string[]): StoryPost {
  return { ...post, itemKeys: [...new Set([...post.itemKeys, ...itemKeys])].slice(-MAX_TOLD) };
}

/**
 * One record per target × story (`spost:` namespace), kept for the archive's retention: a story
 * is not briefed again to a target while its items can still arrive.
 */
export function createStoryPostsRepo(kv: KV, options: { retentionMs: number }): StoryPostsRepo {
  const key = (target: Target, storyId: string) =>
    `spost:${digest(`${encodeTarget(target)}\n${storyId}`, 24)}`;
  return {
    get: (target, storyId) => kv.get<StoryPost>(key(target, storyId)),
    getMany: (pairs) => kv.getMany<StoryPost>(pairs.map((p) => key(p.target, p.storyId))),
    record: (target, storyId, post) => kv.set(key(target, storyId), post, options.retentionMs),
  };
}
