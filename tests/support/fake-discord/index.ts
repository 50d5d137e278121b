/**
 * A small fake Discord (REST + gateway) on 127.0.0.1 that the real discord.js v14 Client logs in
 * to, enforcing the Discord rules a bot can break: limits, interaction deadlines, double
 * acknowledgements, nonces, rate limits. Point the client at it with
 * `rest: { api: fake.apiUrl, offset: 0 }`; listen for `clientReady` before `login(fake.token)`;
 * `client.destroy()` before `fake.close()`.
 */
import { GatewayDispatchEvents, InteractionResponseType } from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  APIApplicationCommandOptionChoice,
  APIGuildForumTag,
  APIChatInputApplicationCommandInteraction,
  APIMessageComponentButtonInteraction,
  APIMessageComponentSelectMenuInteraction,
  GatewayOpcodes,
  GatewaySendPayload,
} from 'discord-api-types/v10';
import { registerCrosspostRoutes } from './crosspost-routes';
import { commandScope, registerCommandRoutes } from './command-routes';
import { Failures } from './failures';
import type { FailRule } from './failures';
import { FakeGateway } from './gateway';
import type { DispatchEvent } from './gateway';
import { DEFAULT_WAIT_MS } from './interaction-handle';
import type { InteractionHandle } from './interaction-handle';
import {
  autocompleteInteraction,
  buttonInteraction,
  commandInteraction,
  selectInteraction,
} from './interaction-payloads';
import type {
  AutocompleteInput,
  ButtonInput,
  CommandInput,
  SelectInput,
} from './interaction-payloads';
import { Interactions } from './interactions';
import type { FakeGuildConfig } from './payloads';
import { handleRest } from './rest-pipeline';
import { registerRestRoutes } from './rest-routes';
import { Router } from './router';
import { GATEWAY_PATH, startServer } from './server';
import { FakeState } from './state';
import type { Clock, FakeThread, FakeWebhook, PostedMessage, RecordedRequest } from './state';
import { registerThreadRoutes } from './thread-routes';
import { registerWebhookRoutes } from './webhook-routes';

export type { FailRule } from './failures';
export type { DispatchEvent } from './gateway';
export type { FollowUp, InteractionHandle, Rejection } from './interaction-handle';
export type {
  AutocompleteInput,
  ButtonInput,
  CommandInput,
  OptionValue,
  SelectInput,
} from './interaction-payloads';
export { RESPONSE_DEADLINE_MS, TOKEN_LIFETIME_MS } from './interactions';
export { LIMITS } from './limits';
export type { FakeChannelConfig, FakeGuildConfig, FakeRoleConfig } from './payloads';
export { NONCE_WINDOW_MS } from './rest-routes';
export type { Clock, FakeThread, FakeWebhook, PostedMessage, RecordedRequest } from './state';
export { CROSSPOSTS_PER_HOUR } from './crosspost-routes';
export { AUTO_ARCHIVE_MINUTES, FORUM_LIMITS } from './thread-routes';
export { WEBHOOK_LIMITS } from './webhook-routes';

export interface FakeDiscordOptions {
  guilds: FakeGuildConfig[];
  /** @default '200000000000000001' */
  applicationId?: string;
  /** @default the application id, as for most bots */
  botUserId?: string;
  /** The token the client must log in with. @default 'fake-bot-token' */
  token?: string;
  /** Clock for interaction deadlines, nonce memory and snowflakes. @default Date.now */
  now?: Clock;
  /** HELLO's heartbeat interval; small values make discord.js heartbeat during a test. @default 41250 */
  heartbeatIntervalMs?: number;
}

export interface FakeDiscord {
  /** For `new Client({ rest: { api: fake.apiUrl, offset: 0 } })` and `new REST({ api })`. */
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** Messages created through POST /channels/:id/messages, oldest first. */
  messages(channelId: string): readonly PostedMessage[];
  waitForMessages(
    channelId: string,
    count: number,
    timeoutMs?: number,
  ): Promise<readonly PostedMessage[]>;
  /** Threads and forum posts under a channel, oldest first. */
  threads(parentId: string): readonly FakeThread[];
  /** A forum's tags as they are now. */
  forumTags(forumId: string): readonly APIGuildForumTag[];
  /** Webhooks of a channel, tokens included. */
  webhooks(channelId: string): readonly FakeWebhook[];
  /** Whether a message has been published to following servers. */
  isCrossposted(messageId: string): boolean;
  /** Registered commands: global without a guild id. */
  commands(guildId?: string): readonly APIApplicationCommand[];
  readonly interact: {
    command(
      input: CommandInput,
    ): Promise<InteractionHandle<APIChatInputApplicationCommandInteraction>>;
    /** Resolves with the choices the bot answered; rejects if Discord would have refused them. */
    autocomplete(
      input: AutocompleteInput,
      timeoutMs?: number,
    ): Promise<APIApplicationCommandOptionChoice[]>;
    button(input: ButtonInput): Promise<InteractionHandle<APIMessageComponentButtonInteraction>>;
    /** The user picks `values` in the message's string select menu `customId`. */
    select(
      input: SelectInput,
    ): Promise<InteractionHandle<APIMessageComponentSelectMenuInteraction>>;
  };
  /**
   * A file as a user attaches it to a command: Discord stores it on its CDN and the bot downloads
   * it from `url` (a test serves it locally). Pass the returned id as the attachment option.
   */
  attach(file: { url: string; filename: string; size: number; contentType?: string }): string;
  /** Makes the next matching request(s) fail as described. */
  failNext(rule: FailRule): void;
  /** While set, every post to the channel gets 403 Missing Access (50001). */
  setChannelForbidden(channelId: string, forbidden: boolean): void;
  /** Closes the gateway connection abnormally (default 4000) so the client resumes. */
  dropGateway(code?: number): void;
  readonly gateway: {
    /** Payloads the client sent (IDENTIFY, RESUME, heartbeats…), in order. */
    readonly received: readonly GatewaySendPayload[];
    waitForOp(
      op: GatewayOpcodes,
      count?: number,
      timeoutMs?: number,
    ): Promise<GatewaySendPayload[]>;
    dispatch(event: DispatchEvent): void;
  };
  /** Every REST request with the status it got. */
  readonly requests: readonly RecordedRequest[];
  /** Requests to routes the fake does not implement (answered 404). */
  readonly unknownRoutes: readonly RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordOptions): Promise<FakeDiscord> {
  const applicationId = options.applicationId ?? '200000000000000001';
  const token = options.token ?? 'fake-bot-token';
  const state = new FakeState({
    guilds: options.guilds,
    applicationId,
    botUserId: options.botUserId ?? applicationId,
    now: options.now ?? Date.now,
  });
  const router = new Router();
  const failures = new Failures();
  // Handlers are bound after listening because the gateway URL needs the port.
  let gateway: FakeGateway | undefined;
  const server = await startServer({
    rest: (incoming) => handleRest({ state, router, failures, token }, incoming),
    gateway: (socket) => gateway?.accept(socket),
  });
  const apiUrl = `http://127.0.0.1:${server.port}/api`;
  const gatewayUrl = `ws://127.0.0.1:${server.port}${GATEWAY_PATH}`;
  const ws = new FakeGateway(state, {
    token,
    url: gatewayUrl,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
  });
  gateway = ws;
  const interactions = new Interactions(state, (payload) =>
    ws.dispatch({ t: GatewayDispatchEvents.InteractionCreate, d: payload }),
  );
  registerRestRoutes(router, state, gatewayUrl);
  registerCommandRoutes(router, state);
  registerThreadRoutes(router, state);
  registerCrosspostRoutes(router, state);
  registerWebhookRoutes(router, state);
  interactions.register(router);

  return {
    apiUrl,
    gatewayUrl,
    token,
    applicationId,
    botUserId: state.bot.id,
    messages: (channelId) => state.messagesIn(channelId),
    waitForMessages: (channelId, count, timeoutMs = DEFAULT_WAIT_MS) =>
      state.waitFor(
        () =>
          state.messagesIn(channelId).length >= count ? state.messagesIn(channelId) : undefined,
        timeoutMs,
        `${count} messages in ${channelId}`,
      ),
    threads: (parentId) => [...state.threads.values()].filter((t) => t.parentId === parentId),
    forumTags: (forumId) => state.forumTags.get(forumId) ?? [],
    webhooks: (channelId) => [...state.webhooks.values()].filter((h) => h.channelId === channelId),
    isCrossposted: (messageId) => state.crossposted.has(messageId),
    commands: (guildId) => state.commands.get(commandScope(guildId)) ?? [],
    interact: {
      command: async (input) =>
        interactions.start((id, t) => commandInteraction(state, input, id, t)),
      autocomplete: async (input, timeoutMs) => {
        const response = await interactions
          .start((id, t) => autocompleteInteraction(state, input, id, t))
          .waitForResponse(timeoutMs);
        return response.type === InteractionResponseType.ApplicationCommandAutocompleteResult
          ? (response.data.choices ?? [])
          : [];
      },
      button: async (input) =>
        interactions.start((id, t) => buttonInteraction(state, input, id, t)),
      select: async (input) =>
        interactions.start((id, t) => selectInteraction(state, input, id, t)),
    },
    attach: (file) => {
      const id = state.snowflake();
      state.attachments.set(id, {
        id,
        filename: file.filename,
        size: file.size,
        url: file.url,
        proxy_url: file.url,
        ...(file.contentType ? { content_type: file.contentType } : {}),
      });
      return id;
    },
    failNext: (rule) => failures.add(rule),
    setChannelForbidden: (channelId, forbidden) =>
      void (forbidden ? state.forbidden.add(channelId) : state.forbidden.delete(channelId)),
    dropGateway: (code) => ws.drop(code),
    gateway: {
      received: ws.received,
      waitForOp: (op, count = 1, timeoutMs = DEFAULT_WAIT_MS) => ws.waitForOp(op, count, timeoutMs),
      dispatch: (event) => ws.dispatch(event),
    },
    requests: state.requests,
    unknownRoutes: state.unknownRoutes,
    close: () => server.close(),
  };
}
