/**
 * Failures a test schedules for upcoming requests: rate limits, missing access or permissions,
 * unknown resources, server errors. Each rule answers the next matching request(s) instead of
 * the route.
 */
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError, rateLimited } from './responses';
import type { FakeResponse } from './responses';
import { matchPath, parseRouteKey } from './router';

export interface FailRule {
  /** `'POST /channels/:id/messages'`; `:name` matches any one segment, or give real ids. */
  route: string;
  /** 429, 403, 404, 500… */
  status: number;
  /** Seconds a 429 asks the client to wait; small so tests stay quick. @default 0.2 */
  retryAfter?: number;
  /** A global rather than per-route 429. @default false */
  global?: boolean;
  /** Discord JSON error code. @default 50013 for 403, 10003 for 404, 0 otherwise */
  code?: number;
  /** How many consecutive matching requests fail. @default 1 */
  times?: number;
  /**
   * The error's message quotes the request's path, as some proxies in front of Discord do: a
   * webhook's token is in its path. @default false
   */
  echoPath?: boolean;
}

const DEFAULT_CODES: Record<number, number> = {
  403: RESTJSONErrorCodes.MissingPermissions,
  404: RESTJSONErrorCodes.UnknownChannel,
};

interface PendingRule {
  method: string;
  pattern: string;
  rule: FailRule;
  left: number;
}

export class Failures {
  readonly #pending: PendingRule[] = [];

  add(rule: FailRule): void {
    const { method, pattern } = parseRouteKey(rule.route);
    this.#pending.push({ method, pattern, rule, left: rule.times ?? 1 });
  }

  /** The scheduled failure for this request, consuming one use of the first matching rule. */
  take(method: string, path: string, bucket: string): FakeResponse | undefined {
    const pending = this.#pending.find((p) => p.method === method && matchPath(p.pattern, path));
    if (!pending) return undefined;
    pending.left -= 1;
    if (pending.left <= 0) this.#pending.splice(this.#pending.indexOf(pending), 1);
    const { rule } = pending;
    if (rule.status === 429)
      return rateLimited(rule.retryAfter ?? 0.2, rule.global ?? false, bucket);
    const refused = apiError(rule.status, rule.code ?? DEFAULT_CODES[rule.status] ?? 0);
    if (!rule.echoPath) return refused;
    const body = refused.body as { message: string };
    return { ...refused, body: { ...body, message: `${body.message} (${method} ${path})` } };
  }
}
