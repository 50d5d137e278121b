/**
 * Forum posts and threads, with Discord's rules: a forum post is a thread plus its starter
 * message (the message's id is the thread's), tagged with at most 5 of the forum's tags, and a
 * forum holds at most 20 tags of 1–20 characters; a thread opened on a message takes that
 * message's id, so a message has one thread at most; auto-archive is 60, 1440, 4320 or 10080
 * minutes. Editing tags needs Manage Channels, a forum post Send Messages, a thread on a message
 * Create Public Threads.
 */
import {
  ChannelType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import type { APIGuildForumTag, APIThreadChannel } from 'discord-api-types/v10';
import { FormErrors } from './form-errors';
import { channelPayload } from './payloads';
import { refuseWithout } from './permissions';
import { apiError, formError, json } from './responses';
import type { FakeResponse } from './responses';
import { storeMessage } from './rest-routes';
import type { RouteRequest, Router } from './router';
import { forumTag, type FakeState, type FakeThread } from './state';

export const FORUM_LIMITS = { tags: 20, tagName: 20, appliedTags: 5, threadName: 100 } as const;
export const AUTO_ARCHIVE_MINUTES = [60, 1440, 4320, 10080] as const;
const DEFAULT_AUTO_ARCHIVE = 4320;

type Json = Record<string, unknown>;
const record = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

export function threadPayload(state: FakeState, thread: FakeThread): APIThreadChannel {
  const parent = state.channels.get(thread.parentId)?.channel;
  return {
    id: thread.id,
    type:
      parent?.type === ChannelType.GuildAnnouncement
        ? ChannelType.AnnouncementThread
        : ChannelType.PublicThread,
    guild_id: thread.guildId,
    parent_id: thread.parentId,
    name: thread.name,
    owner_id: state.bot.id,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: state.messagesIn(thread.id).length,
    member_count: 1,
    total_message_sent: state.messagesIn(thread.id).length,
    applied_tags: thread.appliedTags,
    thread_metadata: {
      archived: false,
      auto_archive_duration: thread.autoArchiveDuration as ThreadAutoArchiveDuration,
      archive_timestamp: state.timestamp(),
      locked: false,
      create_timestamp: thread.createdAt,
    },
  } as APIThreadChannel;
}

/** Name and auto-archive checks shared by forum posts and threads on messages. */
function threadErrors(body: Json): FormErrors {
  const errors = new FormErrors();
  errors.lengthBetween(['name'], body.name, 1, FORUM_LIMITS.threadName);
  const minutes = body.auto_archive_duration;
  if (minutes !== undefined && !(AUTO_ARCHIVE_MINUTES as readonly unknown[]).includes(minutes)) {
    errors.add(
      ['auto_archive_duration'],
      'BASE_TYPE_CHOICES',
      `Value must be one of {${AUTO_ARCHIVE_MINUTES.join(', ')}}.`,
    );
  }
  return errors;
}

export function newThread(state: FakeState, id: string, parentId: string, body: Json): FakeThread {
  const thread: FakeThread = {
    id,
    guildId: state.channels.get(parentId)!.guildId,
    parentId,
    name: String(body.name),
    autoArchiveDuration: Number(body.auto_archive_duration ?? DEFAULT_AUTO_ARCHIVE),
    appliedTags: Array.isArray(body.applied_tags) ? body.applied_tags.map(String) : [],
    createdAt: state.timestamp(),
  };
  state.threads.set(id, thread);
  return thread;
}

function createForumPost(state: FakeState, forumId: string, request: RouteRequest): FakeResponse {
  const refused = refuseWithout(state, forumId, PermissionFlagsBits.SendMessages);
  if (refused) return refused;
  const body = record(request.body);
  const errors = threadErrors(body);
  if (body.message === undefined)
    errors.add(['message'], 'BASE_TYPE_REQUIRED', 'This field is required');
  const known = new Set((state.forumTags.get(forumId) ?? []).map((t) => t.id));
  errors.maxItems(['applied_tags'], body.applied_tags, FORUM_LIMITS.appliedTags);
  (Array.isArray(body.applied_tags) ? body.applied_tags : []).forEach((tag, i) => {
    if (!known.has(String(tag)))
      errors.add(['applied_tags', i], 'TAG_INVALID', 'Tag is not available in this channel.');
  });
  if (!errors.empty) return formError(errors.tree);
  // The starter message is checked like any message before the post exists, and shares its id.
  const id = state.snowflake();
  const starter = storeMessage(
    state,
    id,
    { body: body.message, files: request.files },
    { author: state.bot, id },
  );
  if (starter.status !== 200) return starter;
  const thread = newThread(state, id, forumId, body);
  thread.starterMessageId = id;
  state.changed();
  return json(201, { ...threadPayload(state, thread), message: starter.body });
}

function createThreadOnMessage(state: FakeState, request: RouteRequest): FakeResponse {
  const { channelId = '', messageId = '' } = request.params;
  const entry = state.channels.get(channelId);
  if (!entry) return apiError(404, RESTJSONErrorCodes.UnknownChannel);
  if (entry.channel.type === ChannelType.GuildForum)
    return apiError(400, RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  const refused = refuseWithout(state, channelId, PermissionFlagsBits.CreatePublicThreads);
  if (refused) return refused;
  if (!state.findMessage(channelId, messageId))
    return apiError(404, RESTJSONErrorCodes.UnknownMessage);
  if (state.threads.has(messageId))
    return apiError(400, RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage);
  const body = record(request.body);
  const errors = threadErrors(body);
  if (!errors.empty) return formError(errors.tree);
  const thread = newThread(state, messageId, channelId, { ...body, applied_tags: [] });
  thread.starterMessageId = messageId;
  state.changed();
  return json(201, threadPayload(state, thread));
}

/** PATCH of a forum's `available_tags`: the whole list, existing tags keep their ids. */
function editForum(state: FakeState, request: RouteRequest): FakeResponse {
  const channelId = request.params.channelId ?? '';
  const entry = state.channels.get(channelId);
  if (!entry) return apiError(404, RESTJSONErrorCodes.UnknownChannel);
  const refused = refuseWithout(state, channelId, PermissionFlagsBits.ManageChannels);
  if (refused) return refused;
  const body = record(request.body);
  const wanted = Array.isArray(body.available_tags) ? body.available_tags.map(record) : undefined;
  if (wanted && entry.channel.type === ChannelType.GuildForum) {
    const errors = new FormErrors();
    errors.maxItems(['available_tags'], wanted, FORUM_LIMITS.tags);
    wanted.forEach((tag, i) => {
      errors.lengthBetween(['available_tags', i, 'name'], tag.name, 1, FORUM_LIMITS.tagName);
    });
    if (!errors.empty) return formError(errors.tree);
    const names = wanted.map((t) => String(t.name).toLowerCase());
    if (new Set(names).size !== names.length)
      return apiError(400, RESTJSONErrorCodes.TagNamesMustBeUnique);
    const tags: APIGuildForumTag[] = wanted.map((t) =>
      forumTag(typeof t.id === 'string' ? t.id : state.snowflake(), String(t.name)),
    );
    state.forumTags.set(channelId, tags);
  }
  state.changed();
  return json(200, {
    ...channelPayload(entry.guildId, entry.channel),
    available_tags: state.forumTags.get(channelId) ?? [],
  });
}

export function registerThreadRoutes(router: Router, state: FakeState): void {
  router
    .add('PATCH /channels/:channelId', (request) => editForum(state, request))
    .add('POST /channels/:channelId/threads', (request) => {
      const channelId = request.params.channelId ?? '';
      const entry = state.channels.get(channelId);
      if (!entry) return apiError(404, RESTJSONErrorCodes.UnknownChannel);
      if (entry.channel.type !== ChannelType.GuildForum)
        return apiError(400, RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
      return createForumPost(state, channelId, request);
    })
    .add('POST /channels/:channelId/messages/:messageId/threads', (request) =>
      createThreadOnMessage(state, request),
    )
    // The fake never archives a thread: every thread of the guild is active.
    .add('GET /guilds/:guildId/threads/active', ({ params }) => {
      if (!state.guilds.some((g) => g.id === params.guildId))
        return apiError(404, RESTJSONErrorCodes.UnknownGuild);
      const threads = [...state.threads.values()].filter((t) => t.guildId === params.guildId);
      return json(200, { threads: threads.map((t) => threadPayload(state, t)), members: [] });
    });
}
