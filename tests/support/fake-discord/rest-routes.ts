/**
 * The plain REST routes: what discord.js asks for at login (gateway, @me), guild and channel
 * look-ups, and channel messages with Discord's nonce, permission and size rules.
 */
import {
  type ApplicationFlags,
  ChannelType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import type {
  APIApplication,
  APIUser,
  APIGatewayBotInfo,
  APIGatewayInfo,
  RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { isEmptyMessage, messageErrors } from './limits';
import { editedMessage, type MessageContent, messagePayload } from './message-payloads';
import { channelPayload, guildCreatePayload, guildRoles, memberPayload } from './payloads';
import { refuseWithout } from './permissions';
import { apiError, formError, json, noContent } from './responses';
import type { FakeResponse } from './responses';
import type { RouteRequest, Router } from './router';
import type { FakeState, PostedMessage } from './state';

/** How long Discord remembers a nonce for enforce_nonce ("a few minutes"). */
export const NONCE_WINDOW_MS = 5 * 60_000;

function application(state: FakeState): APIApplication {
  return {
    id: state.applicationId,
    name: 'briefing-bot',
    icon: null,
    description: '',
    bot_public: false,
    bot_require_code_grant: false,
    bot: state.bot,
    summary: '',
    verify_key: '0'.repeat(64),
    team: null,
    flags: 0 as ApplicationFlags,
    flags_new: '0',
  };
}

export function registerRestRoutes(router: Router, state: FakeState, gatewayUrl: string): void {
  const guildOr404 = (
    id: string | undefined,
    answer: (guildId: string) => FakeResponse,
  ): FakeResponse => {
    const guild = state.guilds.find((g) => g.id === id);
    return guild ? answer(guild.id) : apiError(404, RESTJSONErrorCodes.UnknownGuild);
  };
  const guildFor = (id: string) => state.guilds.find((g) => g.id === id);

  router
    .add('GET /gateway', () => json(200, { url: gatewayUrl } satisfies APIGatewayInfo))
    .add('GET /gateway/bot', () =>
      json(200, {
        url: gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      } satisfies APIGatewayBotInfo),
    )
    .add('GET /users/@me', () => json(200, state.bot))
    .add('GET /applications/@me', () => json(200, application(state)))
    .add('GET /oauth2/applications/@me', () => json(200, application(state)))
    .add('GET /guilds/:guildId', ({ params }) =>
      guildOr404(params.guildId, (id) =>
        json(200, guildCreatePayload(guildFor(id)!, state.bot, state.timestamp())),
      ),
    )
    .add('GET /guilds/:guildId/channels', ({ params }) =>
      guildOr404(params.guildId, (id) =>
        json(
          200,
          guildFor(id)!.channels.map((c, i) => channelPayload(id, c, i)),
        ),
      ),
    )
    .add('GET /guilds/:guildId/roles', ({ params }) =>
      guildOr404(params.guildId, (id) => json(200, guildRoles(guildFor(id)!))),
    )
    .add('GET /guilds/:guildId/members/:userId', ({ params }) =>
      guildOr404(params.guildId, (id) =>
        params.userId === state.bot.id
          ? json(200, memberPayload(state.bot, guildFor(id)!.botRoleIds ?? [], state.timestamp()))
          : apiError(404, RESTJSONErrorCodes.UnknownMember),
      ),
    )
    .add('GET /channels/:channelId', ({ params }) => {
      const id = params.channelId ?? '';
      const entry = state.channels.get(id);
      const tags = state.forumTags.get(id);
      if (!entry) return apiError(404, RESTJSONErrorCodes.UnknownChannel);
      const channel = channelPayload(entry.guildId, entry.channel);
      return json(
        200,
        entry.channel.type === ChannelType.GuildForum
          ? { ...channel, available_tags: tags ?? [] }
          : channel,
      );
    })
    .add('POST /channels/:channelId/messages', (request) => postMessage(state, request))
    .add('PATCH /channels/:channelId/messages/:messageId', (request) => editMessage(state, request))
    .add('DELETE /channels/:channelId/messages/:messageId', (request) =>
      deleteMessage(state, request),
    )
    .add('GET /channels/:channelId/messages', (request) => listMessages(state, request))
    .add('GET /channels/:channelId/messages/:messageId', ({ params }) => {
      const found = state.findMessage(params.channelId ?? '', params.messageId ?? '');
      return found ? json(200, found.message) : apiError(404, RESTJSONErrorCodes.UnknownMessage);
    });
}

/**
 * A channel's latest messages, newest first, as Discord lists them: `limit` 1–100 (50 when not
 * given), and only with View Channel and Read Message History.
 */
function listMessages(state: FakeState, request: RouteRequest): FakeResponse {
  const channelId = request.params.channelId ?? '';
  if (!state.channels.has(channelId) && !state.threads.has(channelId))
    return apiError(404, RESTJSONErrorCodes.UnknownChannel);
  if (state.forbidden.has(channelId)) return apiError(403, RESTJSONErrorCodes.MissingAccess);
  const refused = refuseWithout(
    state,
    channelId,
    PermissionFlagsBits.ViewChannel,
    PermissionFlagsBits.ReadMessageHistory,
  );
  if (refused) return refused;
  const limit = Number(request.query.get('limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return formError({
      limit: { _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'Must be 1 to 100.' }] },
    });
  const list = state.posted.get(channelId) ?? [];
  return json(
    200,
    list
      .slice(-limit)
      .reverse()
      .map((m) => m.message),
  );
}

/** A deleted message: the bot's own freely, anyone else's (a webhook's too) with Manage Messages. */
function deleteMessage(state: FakeState, request: RouteRequest): FakeResponse {
  const { channelId = '', messageId = '' } = request.params;
  const list = state.posted.get(channelId) ?? [];
  const found = list.find((m) => m.id === messageId);
  if (!found) return apiError(404, RESTJSONErrorCodes.UnknownMessage);
  const own = found.message.author.id === state.bot.id && !found.message.webhook_id;
  const refused = own
    ? undefined
    : refuseWithout(state, channelId, PermissionFlagsBits.ManageMessages);
  if (refused) return refused;
  list.splice(list.indexOf(found), 1);
  state.changed();
  return noContent();
}

/** Who a stored message is from: the bot, or a webhook under the name it was executed with. */
export interface MessageOrigin {
  author: APIUser;
  webhookId?: string;
  /** The id to give the message (a forum post's starter message has its thread's). @default a new one */
  id?: string;
}

/**
 * Stores a message in a channel or thread after Discord's body checks (empty, limits), answering a
 * repeated enforce_nonce with the first message. Forum posts, webhooks and plain posts share it.
 */
export function storeMessage(
  state: FakeState,
  channelId: string,
  request: Pick<RouteRequest, 'body' | 'files'>,
  from: MessageOrigin = { author: state.bot },
): FakeResponse {
  const body = (request.body ?? {}) as RESTPostAPIChannelMessageJSONBody;
  if (isEmptyMessage(body, request.files.length))
    return apiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage);
  const errors = messageErrors(body);
  if (!errors.empty) return formError(errors.tree);

  const nonceKey = body.nonce === undefined ? undefined : `${channelId}:${String(body.nonce)}`;
  const prior = nonceKey === undefined ? undefined : state.nonces.get(nonceKey);
  // With enforce_nonce Discord answers a repeat with the message the nonce first created.
  if (body.enforce_nonce === true && prior && state.now() - prior.at < NONCE_WINDOW_MS) {
    return json(200, prior.message.message);
  }
  const id = from.id ?? state.snowflake();
  const message = messagePayload(
    {
      id,
      channelId,
      author: from.author,
      timestamp: state.timestamp(),
      webhookId: from.webhookId,
      files: request.files,
    },
    body,
  );
  const posted = { id, channelId, body, files: request.files, message };
  state.messagesIn(channelId).push(posted);
  if (nonceKey !== undefined) state.nonces.set(nonceKey, { message: posted, at: state.now() });
  state.changed();
  return json(200, message);
}

function postMessage(state: FakeState, request: RouteRequest): FakeResponse {
  const channelId = request.params.channelId ?? '';
  const thread = state.threads.get(channelId);
  const entry = state.channels.get(thread?.parentId ?? channelId);
  if (!entry) return apiError(404, RESTJSONErrorCodes.UnknownChannel);
  if (state.forbidden.has(channelId)) return apiError(403, RESTJSONErrorCodes.MissingAccess);
  // A forum holds posts only; its messages live in the posts' threads.
  if (!thread && entry.channel.type === ChannelType.GuildForum)
    return apiError(400, RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel);
  const refused = thread
    ? refuseWithout(state, channelId, PermissionFlagsBits.SendMessagesInThreads)
    : undefined;
  return refused ?? storeMessage(state, channelId, request);
}

/** An edit of the bot's own message: the same size rules as a create; fields sent replace the old. */
function editMessage(state: FakeState, request: RouteRequest): FakeResponse {
  const channelId = request.params.channelId ?? '';
  if (!state.channels.has(channelId) && !state.threads.has(channelId))
    return apiError(404, RESTJSONErrorCodes.UnknownChannel);
  if (state.forbidden.has(channelId)) return apiError(403, RESTJSONErrorCodes.MissingAccess);
  const found = state.findMessage(channelId, request.params.messageId ?? '');
  if (!found) return apiError(404, RESTJSONErrorCodes.UnknownMessage);
  if (found.message.author.id !== state.bot.id)
    return apiError(403, RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser);
  return applyEdit(state, found, request.body);
}

/** An edit its sender may make: checked against the same size rules as a create, then kept with the edits before it. */
export function applyEdit(state: FakeState, found: PostedMessage, body: unknown): FakeResponse {
  const errors = messageErrors(body);
  if (!errors.empty) return formError(errors.tree);
  found.message = editedMessage(found.message, body as MessageContent, state.timestamp());
  found.edits = [...(found.edits ?? []), body];
  state.changed();
  return json(200, found.message);
}
