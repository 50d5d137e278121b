import { inspect } from 'node:util';
import type { APIMessage, APIWebhook } from 'discord-api-types/v10';
import {
  DiscordAPIError,
  makeURLSearchParams,
  type REST,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import { messageProblems } from '../delivery/discord-limits';
import { REDACTED } from '../redact';
import type { DiscordMessage } from '../delivery/render-discord';
import {
  CLOCK_SLACK_MS,
  classifyPostError,
  type PostResult,
  postMessage,
  retryDelay,
} from './post-message';
import { DEFAULT_WEBHOOK_NAME } from '../services/surface-rules';
import { isPermissionRefusal, type SurfacePaused, surfacePaused } from './surface-pause';

/**
 * A channel webhook the bot made. The token lets anyone post as it, so it is a secret: it is
 * kept in memory only (after a restart the bot's own webhook is found again in Discord, so the
 * store never holds it), left out of JSON, `inspect` and string forms (what loggers use), and
 * only the execute call reads it.
 */
export class WebhookCredentials {
  readonly #token: string;
  constructor(
    readonly id: string,
    token: string,
  ) {
    this.#token = token;
  }
  executeRoute(): `/${string}` {
    return Routes.webhook(this.id, this.#token);
  }
  /** A message this webhook posted: only the webhook (by its token) may edit it. */
  messageRoute(messageId: string): `/${string}` {
    return Routes.webhookMessage(this.id, this.#token, messageId);
  }
  /** The text with the token blanked out: an error about the execute call may quote its URL. */
  hide(text: string): string {
    return this.#token ? text.split(this.#token).join(REDACTED) : text;
  }
  toJSON() {
    return { id: this.id, token: '[hidden]' };
  }
  toString() {
    return `webhook ${this.id}`;
  }
  [inspect.custom]() {
    return `WebhookCredentials { id: '${this.id}', token: [hidden] }`;
  }
}

/** The bot's own webhook in a channel (found by application id), if it has one. */
export async function ownWebhook(
  rest: REST,
  channelId: string,
  applicationId: string,
): Promise<WebhookCredentials | undefined> {
  const existing = (await rest.get(Routes.channelWebhooks(channelId))) as APIWebhook[];
  const own = existing.find((w) => w.application_id === applicationId && w.token);
  return own && new WebhookCredentials(own.id, own.token ?? '');
}

/**
 * The bot's webhook in a channel: its own one reused (found by application id), or a new one.
 * Without Manage Webhooks the answer is a pause naming that permission.
 */
export async function channelWebhook(
  rest: REST,
  channelId: string,
  options: { name: string; applicationId: string },
): Promise<WebhookCredentials | SurfacePaused> {
  try {
    const own = await ownWebhook(rest, channelId, options.applicationId);
    if (own) return own;
    const hook = (await rest.post(Routes.channelWebhooks(channelId), {
      body: { name: options.name },
    })) as APIWebhook;
    return new WebhookCredentials(hook.id, hook.token ?? '');
  } catch (err) {
    if (isPermissionRefusal(err))
      return surfacePaused('webhook', channelId, 'the bot may not manage webhooks here');
    throw err;
  }
}

export interface Identity {
  /** Shown as the author of the briefing, e.g. "Energy desk". */
  username?: string;
  avatarUrl?: string;
}

/** `gone`: the webhook was deleted in Discord or its token no longer works; make a new one. */
export type WebhookPostResult = PostResult | { kind: 'gone' };

/**
 * Posts through the webhook, `wait=true` so Discord answers with the message (a thread can then
 * open on it). `threadId` posts into a forum post or thread of the webhook's channel.
 */
export async function postAsWebhook(
  rest: REST,
  webhook: WebhookCredentials,
  message: DiscordMessage,
  options: Identity & { threadId?: string; attempts?: number } = {},
): Promise<WebhookPostResult> {
  const problems = messageProblems(message);
  if (problems.length > 0)
    return { kind: 'dropped', reason: `invalid message: ${problems.join('; ')}` };
  const { allowed_mentions, content, embeds } = message;
  try {
    const posted = (await rest.post(webhook.executeRoute(), {
      body: {
        allowed_mentions,
        content,
        embeds,
        ...(options.username ? { username: options.username } : {}),
        ...(options.avatarUrl ? { avatar_url: options.avatarUrl } : {}),
      },
      query: makeURLSearchParams({ wait: true, thread_id: options.threadId }),
      auth: false,
    })) as APIMessage;
    return { kind: 'sent', messageId: posted.id };
  } catch (err) {
    if (
      err instanceof DiscordAPIError &&
      (err.code === RESTJSONErrorCodes.UnknownWebhook ||
        err.code === RESTJSONErrorCodes.InvalidWebhookToken)
    )
      return { kind: 'gone' };
    // The error's URL holds the token, and a proxy's message may quote it: neither goes further.
    const failed = classifyPostError(err, options.attempts ?? 0);
    return { ...failed, reason: webhook.hide(failed.reason) };
  }
}

/** How far back the look-up for a send cut short reads the channel. */
const LOOKBACK_MESSAGES = 50;

/** What tells a briefing's message apart: its embed's headline, or a compact post's text. */
const briefingMark = (m: Pick<DiscordMessage, 'content' | 'embeds'>) =>
  m.embeds?.[0]?.title ?? m.content?.trim() ?? '';

/**
 * The webhook's message of this briefing, made since it was queued: one whose execute went
 * through although its answer never reached the bot (a crash, a lost response). A webhook's
 * execute takes no nonce (discord/discord-api-docs#6647), so this look-up is what keeps a retry
 * from posting the briefing twice. It reads the channel's last messages as the bot, which needs
 * Read Message History; a channel busier than that since the send, or one the bot may not read,
 * is not searched.
 */
export async function findWebhookPost(
  rest: REST,
  input: { channelId: string; webhookId: string; message: DiscordMessage; since: string },
): Promise<string | undefined> {
  const recent = (await rest.get(Routes.channelMessages(input.channelId), {
    query: makeURLSearchParams({ limit: LOOKBACK_MESSAGES }),
  })) as APIMessage[];
  const earliest = Date.parse(input.since) - CLOCK_SLACK_MS;
  const mark = briefingMark(input.message);
  return recent.find(
    (m) =>
      m.webhook_id === input.webhookId &&
      Date.parse(m.timestamp) >= earliest &&
      briefingMark(m) === mark,
  )?.id;
}

export interface IdentityPostInput {
  channelId: string;
  applicationId: string;
  message: DiscordMessage;
  nonce: string;
  identity: Identity;
  /** The webhook stored for this channel, if any. */
  webhook?: WebhookCredentials;
  attempts?: number;
  /**
   * Set (to when the briefing was queued) when an earlier send may have gone through unanswered:
   * the webhook's own message of it is looked for before posting again.
   */
  cutShortSince?: string;
}

export interface IdentityPostResult {
  result: PostResult;
  /** The webhook used, kept in memory for the channel's next post (its token is a secret). */
  webhook?: WebhookCredentials;
  /** Set when the bot posted as itself because the webhook surface is paused. */
  fallback?: SurfacePaused;
}

/**
 * A briefing under the subscription's own name and avatar, through the channel's webhook.
 * When the bot may not manage webhooks it posts as itself and says why, rather than not at all.
 */
export async function postWithIdentity(
  rest: REST,
  input: IdentityPostInput,
): Promise<IdentityPostResult> {
  const asBot = async (fallback: SurfacePaused): Promise<IdentityPostResult> => ({
    result: await postMessage(rest, input.channelId, input.message, input.nonce, input.attempts),
    fallback,
  });
  const hook =
    input.webhook ??
    (await channelWebhook(rest, input.channelId, {
      name: input.identity.username ?? DEFAULT_WEBHOOK_NAME,
      applicationId: input.applicationId,
    }));
  if (!(hook instanceof WebhookCredentials)) return asBot(hook);
  if (input.cutShortSince !== undefined) {
    // A look-up that fails (no Read Message History, Discord down) posts as before: at worst
    // twice after a crash, never not at all.
    const messageId = await findWebhookPost(rest, {
      channelId: input.channelId,
      webhookId: hook.id,
      message: input.message,
      since: input.cutShortSince,
    }).catch(() => undefined);
    if (messageId) return { result: { kind: 'sent', messageId }, webhook: hook };
  }
  const options = { ...input.identity, attempts: input.attempts };
  const result = await postAsWebhook(rest, hook, input.message, options);
  if (result.kind !== 'gone') return { result, webhook: hook };
  // An admin deleted the webhook: one fresh webhook, one more try.
  const fresh = await channelWebhook(rest, input.channelId, {
    name: input.identity.username ?? DEFAULT_WEBHOOK_NAME,
    applicationId: input.applicationId,
  });
  if (!(fresh instanceof WebhookCredentials)) return asBot(fresh);
  const again = await postAsWebhook(rest, fresh, input.message, options);
  return {
    result:
      again.kind === 'gone'
        ? { kind: 'retry', afterMs: retryDelay(input.attempts ?? 0), reason: 'webhook vanished' }
        : again,
    webhook: fresh,
  };
}
