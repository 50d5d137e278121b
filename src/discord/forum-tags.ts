import type { APIGuildForumTag, APIThreadOnlyChannel, ChannelType } from 'discord-api-types/v10';
import { type REST, Routes } from 'discord.js';
import { oneLine } from '../delivery/briefing';
import { clip } from '../delivery/discord-limits';
import { isPermissionRefusal } from './surface-pause';

/** Discord's forum limits: tags per forum, tags per post, characters per tag name. */
export const FORUM_TAG_LIMITS = { perForum: 20, perPost: 5, name: 20 } as const;

type Forum = APIThreadOnlyChannel<ChannelType.GuildForum>;

/** A topic's name as a tag name: one line, at most 20 characters. */
export const tagName = (topicName: string) => clip(oneLine(topicName), FORUM_TAG_LIMITS.name);

export interface ForumTags {
  /** Tag ids for the post, at most 5, in the order of the topics given. */
  ids: string[];
  /** Topics that could not get a tag, and why (the forum is full, or Manage Channels is missing). */
  untagged: string[];
  note?: string;
}

/**
 * The forum's tags for these topics: an existing tag with the same name (any case) is reused,
 * a missing one is added while the forum has room for it. A post is never held back for a tag:
 * what cannot be tagged is posted untagged and said so.
 */
export async function forumTagsFor(
  rest: REST,
  forumId: string,
  topicNames: readonly string[],
): Promise<ForumTags> {
  const wanted = [...new Set(topicNames.map(tagName).filter(Boolean))].slice(
    0,
    FORUM_TAG_LIMITS.perPost,
  );
  const forum = (await rest.get(Routes.channel(forumId))) as Forum;
  const tags: APIGuildForumTag[] = forum.available_tags ?? [];
  const find = (name: string, list: APIGuildForumTag[]) =>
    list.find((t) => t.name.toLowerCase() === name.toLowerCase());
  const missing = wanted.filter((name) => !find(name, tags));
  const room = FORUM_TAG_LIMITS.perForum - tags.length;
  const adding = missing.slice(0, Math.max(0, room));
  let current = tags;
  let note: string | undefined;
  if (missing.length > adding.length)
    note = `the forum already has ${FORUM_TAG_LIMITS.perForum} tags`;
  if (adding.length > 0) {
    try {
      // The whole list is sent back: tags with an id are kept as they are, new ones get ids.
      const edited = (await rest.patch(Routes.channel(forumId), {
        body: { available_tags: [...tags, ...adding.map((name) => ({ name }))] },
      })) as Forum;
      current = edited.available_tags ?? tags;
    } catch (err) {
      if (!isPermissionRefusal(err)) throw err;
      note = 'the bot may not add tags (Manage Channels)';
    }
  }
  const ids: string[] = [];
  const untagged: string[] = [];
  for (const name of wanted) {
    const tag = find(name, current);
    if (tag) ids.push(tag.id);
    else untagged.push(name);
  }
  return { ids, untagged, ...(untagged.length > 0 && note ? { note } : {}) };
}
