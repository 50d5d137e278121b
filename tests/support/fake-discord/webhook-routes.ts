/**
 * Channel webhooks: created and listed with Manage Webhooks (at most 15 per channel), executed by
 * id and token with no bot authorisation. Names follow Discord's rules (1–80 characters, never
 * containing "clyde" or "discord", USERNAME_INVALID_CONTAINS), for the webhook and for a
 * per-message `username`. `?wait=true` answers with the message, otherwise 204; a webhook of a
 * forum needs `thread_id` (a post of that forum) or `thread_name` (220001). A webhook edits only
 * its own messages, by its token: another webhook's or the bot's message is unknown to it (10008).
 */
import { randomBytes } from 'node:crypto';
import {
  ChannelType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  WebhookType,
} from 'discord-api-types/v10';
import type { APIWebhook } from 'discord-api-types/v10';
import { FormErrors } from './form-errors';
import type { ErrorPath } from './form-errors';
import { refuseWithout } from './permissions';
import { apiError, formError, json, noContent } from './responses';
import type { FakeResponse } from './responses';
import { applyEdit, storeMessage } from './rest-routes';
import { FORUM_LIMITS, newThread } from './thread-routes';
import type { RouteRequest, Router } from './router';
import type { FakeState, FakeWebhook } from './state';

export const WEBHOOK_LIMITS = { name: 80, perChannel: 15 } as const;
const FORBIDDEN_WORDS = ['clyde', 'discord'];

type Json = Record<string, unknown>;
const record = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/** Webhook names and username overrides: length, then the words Discord keeps for itself. */
function nameErrors(errors: FormErrors, path: ErrorPath, name: unknown, required: boolean): void {
  if (name === undefined && !required) return;
  errors.lengthBetween(path, name, 1, WEBHOOK_LIMITS.name);
  const word = FORBIDDEN_WORDS.find((w) => String(name).toLowerCase().includes(w));
  if (typeof name === 'string' && word)
    errors.add(path, 'USERNAME_INVALID_CONTAINS', `Username cannot contain "${word}"`);
}

function webhookPayload(state: FakeState, hook: FakeWebhook): APIWebhook {
  return {
    id: hook.id,
    type: WebhookType.Incoming,
    guild_id: hook.guildId,
    channel_id: hook.channelId,
    user: state.bot,
    name: hook.name,
    avatar: hook.avatar,
    token: hook.token,
    application_id: hook.applicationId,
  };
}

function createWebhook(state: FakeState, request: RouteRequest): FakeResponse {
  const channelId = request.params.channelId ?? '';
  const entry = state.channels.get(channelId);
  if (!entry) return apiError(404, RESTJSONErrorCodes.UnknownChannel);
  const refused = refuseWithout(state, channelId, PermissionFlagsBits.ManageWebhooks);
  if (refused) return refused;
  const body = record(request.body);
  const errors = new FormErrors();
  nameErrors(errors, ['name'], body.name, true);
  if (!errors.empty) return formError(errors.tree);
  const inChannel = [...state.webhooks.values()].filter((h) => h.channelId === channelId);
  if (inChannel.length >= WEBHOOK_LIMITS.perChannel)
    return apiError(400, RESTJSONErrorCodes.MaximumNumberOfWebhooksReached);
  const hook: FakeWebhook = {
    id: state.snowflake(),
    token: randomBytes(34).toString('base64url'),
    channelId,
    guildId: entry.guildId,
    name: String(body.name),
    avatar: null,
    applicationId: state.applicationId,
  };
  state.webhooks.set(hook.id, hook);
  state.changed();
  return json(200, webhookPayload(state, hook));
}

/** Where an execution lands: the webhook's channel, or a thread of it. */
function executionTarget(
  state: FakeState,
  hook: FakeWebhook,
  request: RouteRequest,
): { channelId: string; newPost?: boolean } | FakeResponse {
  const threadId = request.query.get('thread_id');
  const forum = state.channels.get(hook.channelId)?.channel.type === ChannelType.GuildForum;
  if (threadId !== null) {
    const thread = state.threads.get(threadId);
    return thread?.parentId === hook.channelId
      ? { channelId: threadId }
      : apiError(400, RESTJSONErrorCodes.UnknownChannel);
  }
  const threadName = record(request.body).thread_name;
  if (threadName !== undefined && !forum)
    return apiError(400, RESTJSONErrorCodes.WebhooksCanOnlyCreateThreadsInForumChannels);
  if (!forum) return { channelId: hook.channelId };
  if (threadName === undefined)
    return apiError(
      400,
      RESTJSONErrorCodes.WebhooksPostedToForumChannelsMustHaveAThreadNameOrThreadId,
    );
  const errors = new FormErrors();
  errors.lengthBetween(['thread_name'], threadName, 1, FORUM_LIMITS.threadName);
  if (!errors.empty) return formError(errors.tree);
  // A new forum post whose starter message is this execution (same id, as Discord does).
  const id = state.snowflake();
  const thread = newThread(state, id, hook.channelId, {
    name: threadName,
    applied_tags: record(request.body).applied_tags,
  });
  thread.starterMessageId = id;
  return { channelId: id, newPost: true };
}

function executeWebhook(state: FakeState, request: RouteRequest): FakeResponse {
  const hook = state.webhooks.get(request.params.webhookId ?? '');
  if (!hook) return apiError(404, RESTJSONErrorCodes.UnknownWebhook);
  if (hook.token !== request.params.token)
    return apiError(401, RESTJSONErrorCodes.InvalidWebhookToken);
  const body = record(request.body);
  const errors = new FormErrors();
  nameErrors(errors, ['username'], body.username, false);
  if (body.avatar_url !== undefined && !URL.canParse(String(body.avatar_url)))
    errors.add(['avatar_url'], 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
  if (!errors.empty) return formError(errors.tree);
  const where = executionTarget(state, hook, request);
  if ('status' in where) return where;
  const target = where.channelId;
  const {
    username,
    avatar_url: avatarUrl,
    thread_name: _name,
    applied_tags: _tags,
    ...message
  } = body;
  const author = {
    id: hook.id,
    username: typeof username === 'string' ? username : hook.name,
    discriminator: '0000',
    global_name: null,
    avatar: null,
    bot: true,
  };
  const stored = storeMessage(
    state,
    target,
    { body: message, files: request.files },
    { author, webhookId: hook.id, ...(where.newPost ? { id: target } : {}) },
  );
  if (stored.status !== 200) {
    if (where.newPost) state.threads.delete(target);
    return stored;
  }
  const posted = state.messagesIn(target).at(-1);
  // What the webhook was told to look like, for tests: Discord shows it in place of the bot.
  if (posted)
    posted.identity = {
      username: author.username,
      ...(typeof avatarUrl === 'string' ? { avatarUrl } : {}),
    };
  return request.query.get('wait') === 'true' ? stored : noContent();
}

/** PATCH of a message the webhook posted, in its channel or one of that channel's threads. */
function editWebhookMessage(state: FakeState, request: RouteRequest): FakeResponse {
  const hook = state.webhooks.get(request.params.webhookId ?? '');
  if (!hook) return apiError(404, RESTJSONErrorCodes.UnknownWebhook);
  if (hook.token !== request.params.token)
    return apiError(401, RESTJSONErrorCodes.InvalidWebhookToken);
  const threadId = request.query.get('thread_id');
  const where = threadId ?? hook.channelId;
  if (threadId !== null && state.threads.get(threadId)?.parentId !== hook.channelId)
    return apiError(400, RESTJSONErrorCodes.UnknownChannel);
  const found = state.findMessage(where, request.params.messageId ?? '');
  if (found?.message.webhook_id !== hook.id)
    return apiError(404, RESTJSONErrorCodes.UnknownMessage);
  return applyEdit(state, found, request.body);
}

export function registerWebhookRoutes(router: Router, state: FakeState): void {
  router
    .add('POST /channels/:channelId/webhooks', (request) => createWebhook(state, request))
    .add('GET /channels/:channelId/webhooks', ({ params }) => {
      const channelId = params.channelId ?? '';
      if (!state.channels.has(channelId)) return apiError(404, RESTJSONErrorCodes.UnknownChannel);
      const refused = refuseWithout(state, channelId, PermissionFlagsBits.ManageWebhooks);
      return (
        refused ??
        json(
          200,
          [...state.webhooks.values()]
            .filter((h) => h.channelId === channelId)
            .map((h) => webhookPayload(state, h)),
        )
      );
    })
    .add('DELETE /webhooks/:webhookId', ({ params }) => {
      const hook = state.webhooks.get(params.webhookId ?? '');
      if (!hook) return apiError(404, RESTJSONErrorCodes.UnknownWebhook);
      const refused = refuseWithout(state, hook.channelId, PermissionFlagsBits.ManageWebhooks);
      if (refused) return refused;
      state.webhooks.delete(hook.id);
      state.changed();
      return noContent();
    })
    .add('POST /webhooks/:webhookId/:token', (request) => executeWebhook(state, request), {
      auth: false,
      // Interaction follow-ups use the same path with the application's id.
      when: (params) => params.webhookId !== state.applicationId,
    })
    .add(
      'PATCH /webhooks/:webhookId/:token/messages/:messageId',
      (request) => editWebhookMessage(state, request),
      { auth: false, when: (params) => params.webhookId !== state.applicationId },
    );
}
