import type { APIMessage } from 'discord-api-types/v10';
import {
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  RESTJSONErrorCodes,
  Routes,
  type REST,
} from 'discord.js';
import { messageProblems } from '../delivery/discord-limits';
import type { DiscordMessage } from '../delivery/render-discord';
import type { SendResult } from '../delivery/sink';

/** Discord refusals that mean "this channel is closed to us" rather than "this message is wrong". */
const CHANNEL_REFUSALS: Record<number, string> = {
  [RESTJSONErrorCodes.MissingAccess]: 'Missing Access',
  [RESTJSONErrorCodes.MissingPermissions]: 'Missing Permissions',
  [RESTJSONErrorCodes.UnknownChannel]: 'Unknown Channel',
};

const MAX_RETRY_MS = 60 * 60_000;

/** 30 s, doubling per attempt, at most an hour: Discord outages are short, a full outbox is not. */
export function retryDelay(attempts: number): number {
  return Math.min(MAX_RETRY_MS, 30_000 * 2 ** Math.min(attempts, 10));
}

/**
 * What a failed post means for its delivery. Rate limits are discord.js's business (it waits and
 * retries on its own); what reaches us here is a 5xx or network failure after its retries (retry
 * later), a channel we may not post in (pause), or a message Discord will never take (drop: a
 * retry would only repeat the 400).
 */
export function classifyPostError(
  err: unknown,
  attempts: number,
): Exclude<SendResult, { kind: 'sent' }> {
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === 'number' ? err.code : Number(err.code);
    const refusal = CHANNEL_REFUSALS[code];
    if (refusal && (err.status === 403 || err.status === 404))
      return { kind: 'paused', reason: `${refusal} (${code})` };
    if (err.status === 401 || err.status === 429 || err.status >= 500) {
      return {
        kind: 'retry',
        afterMs: retryDelay(attempts),
        reason: `Discord ${err.status}: ${err.message}`,
      };
    }
    return {
      kind: 'dropped',
      reason: `Discord refused the message (${err.status}, code ${code}): ${err.message}`,
    };
  }
  if (err instanceof RateLimitError)
    return { kind: 'retry', afterMs: Math.max(err.retryAfter, 1_000), reason: 'rate limited' };
  if (err instanceof HTTPError)
    return {
      kind: 'retry',
      afterMs: retryDelay(attempts),
      reason: `Discord ${err.status}: ${err.message}`,
    };
  return {
    kind: 'retry',
    afterMs: retryDelay(attempts),
    reason: `network: ${err instanceof Error ? err.message : String(err)}`,
  };
}

/** A send's result that, when accepted, names the message Discord created (threads open on it). */
export type PostResult =
  | Exclude<SendResult, { kind: 'sent' }>
  | { kind: 'sent'; messageId: string };

/**
 * Clocks differ between Discord and the bot: a post made up to this long before its briefing was
 * queued (by the bot's clock) still counts as that briefing's, when a send cut short is looked for.
 */
export const CLOCK_SLACK_MS = 5 * 60_000;

/**
 * Posts one message with a nonce Discord enforces, so a retry after a crash or a lost response
 * cannot post it twice. A message that breaks Discord's rules is never sent: it is dropped with
 * the problems named, instead of earning a 400 on every retry.
 */
export async function postMessage(
  rest: REST,
  channelId: string,
  message: DiscordMessage,
  nonce: string,
  attempts = 0,
): Promise<PostResult> {
  const problems = messageProblems(message);
  if (problems.length > 0)
    return { kind: 'dropped', reason: `invalid message: ${problems.join('; ')}` };
  try {
    const posted = (await rest.post(Routes.channelMessages(channelId), {
      body: { ...message, nonce, enforce_nonce: true },
    })) as APIMessage;
    return { kind: 'sent', messageId: posted.id };
  } catch (err) {
    return classifyPostError(err, attempts);
  }
}

/** An edit's result; `gone`: the message (or the webhook that posted it) no longer exists. */
export type EditResult = SendResult | { kind: 'gone'; reason: string };

/** Why an edit has nothing left to edit (the webhook or the message was deleted), if it does. */
export function goneReason(err: unknown): string | undefined {
  if (!(err instanceof DiscordAPIError)) return undefined;
  switch (err.code) {
    case RESTJSONErrorCodes.UnknownWebhook:
    case RESTJSONErrorCodes.InvalidWebhookToken:
      return 'the webhook that posted it was deleted';
    case RESTJSONErrorCodes.UnknownMessage:
      return 'the post was deleted';
    default:
      return undefined;
  }
}

/**
 * Where and as whom an edit goes: the bot's own message over the channel's route, or a webhook's
 * message through that webhook (its route holds the token: no bot auth, and errors, which may
 * quote the URL, have the token hidden before they go further).
 */
export interface EditRoute {
  route: `/${string}`;
  webhook?: { hide(text: string): string };
}

/**
 * Rewrites one of our messages (a story's post, to list its later sources): its text and embeds,
 * whichever the layout uses. An edit is idempotent, so a retry after a crash or a lost response
 * needs no nonce.
 */
export async function editMessage(
  rest: REST,
  { route, webhook }: EditRoute,
  message: DiscordMessage,
  attempts = 0,
): Promise<EditResult> {
  const problems = messageProblems(message);
  if (problems.length > 0)
    return { kind: 'dropped', reason: `invalid edit: ${problems.join('; ')}` };
  const { allowed_mentions, content, embeds } = message;
  try {
    await rest.patch(route, {
      body: { allowed_mentions, content, embeds },
      ...(webhook ? { auth: false } : {}),
    });
    return { kind: 'sent' };
  } catch (err) {
    const gone = goneReason(err);
    if (gone) return { kind: 'gone', reason: gone };
    const failed = classifyPostError(err, attempts);
    return webhook ? { ...failed, reason: webhook.hide(failed.reason) } : failed;
  }
}
