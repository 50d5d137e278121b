/**
 * HTTP answers shaped like Discord's, so @discordjs/rest turns them into the same errors
 * (DiscordAPIError with `code`, rate-limit handling) it would raise against the real API.
 */
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { RESTError, RESTErrorData, RESTRateLimit } from 'discord-api-types/v10';

export interface FakeResponse {
  status: number;
  /** Serialised as JSON; absent means an empty body (204). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** The messages Discord pairs with the codes the fake emits. */
const MESSAGES: Record<number, string> = {
  [RESTJSONErrorCodes.UnknownApplication]: 'Unknown Application',
  [RESTJSONErrorCodes.UnknownChannel]: 'Unknown Channel',
  [RESTJSONErrorCodes.UnknownMessage]: 'Unknown Message',
  [RESTJSONErrorCodes.UnknownWebhook]: 'Unknown Webhook',
  [RESTJSONErrorCodes.UnknownInteraction]: 'Unknown interaction',
  [RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged]:
    'Interaction has already been acknowledged.',
  [RESTJSONErrorCodes.MissingAccess]: 'Missing Access',
  [RESTJSONErrorCodes.CannotSendAnEmptyMessage]: 'Cannot send an empty message',
  [RESTJSONErrorCodes.MissingPermissions]: 'Missing Permissions',
  [RESTJSONErrorCodes.InvalidWebhookToken]: 'Invalid Webhook Token',
  [RESTJSONErrorCodes.InvalidFormBodyOrContentType]: 'Invalid Form Body',
};

const GENERIC: Record<number, string> = {
  401: '401: Unauthorized',
  403: 'Forbidden',
  404: '404: Not Found',
  500: '500: Internal Server Error',
};

export function json(status: number, body: unknown): FakeResponse {
  return { status, body };
}

export const noContent = (): FakeResponse => ({ status: 204 });

export function apiError(status: number, code: number, errors?: RESTErrorData): FakeResponse {
  const message = MESSAGES[code] ?? GENERIC[status] ?? `${status}: Error`;
  const body: RESTError = errors === undefined ? { code, message } : { code, message, errors };
  return { status, body };
}

export const notFound = (): FakeResponse => apiError(404, 0);

export const formError = (errors: RESTErrorData): FakeResponse =>
  apiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, errors);

/**
 * A 429 as Discord sends it. @discordjs/rest reads the wait from the `Retry-After` header, not the
 * body, so the header carries the fractional seconds too (real Discord rounds it up to whole
 * seconds, which would make every test wait at least 1 s).
 */
export function rateLimited(
  retryAfter: number,
  global: boolean,
  bucket: string,
  limit: { size: number; scope: 'user' | 'shared' } = { size: 5, scope: 'user' },
): FakeResponse {
  const body: RESTRateLimit = {
    message: 'You are being rate limited.',
    retry_after: retryAfter,
    global,
  };
  const headers: Record<string, string> = { 'Retry-After': String(retryAfter) };
  if (global) {
    headers['X-RateLimit-Global'] = 'true';
    headers['X-RateLimit-Scope'] = 'global';
  } else {
    Object.assign(headers, {
      'X-RateLimit-Limit': String(limit.size),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset-After': String(retryAfter),
      'X-RateLimit-Bucket': bucket,
      'X-RateLimit-Scope': limit.scope,
    });
  }
  return { status: 429, body, headers };
}

/**
 * Headers for a request that was not limited. A constant "plenty left" keeps discord.js from ever
 * queueing on its own while still exercising its bucket bookkeeping.
 */
export function bucketHeaders(bucket: string): Record<string, string> {
  return {
    'X-RateLimit-Limit': '5',
    'X-RateLimit-Remaining': '4',
    'X-RateLimit-Reset-After': '1',
    'X-RateLimit-Bucket': bucket,
  };
}
