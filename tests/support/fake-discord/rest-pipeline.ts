/**
 * One REST request, start to finish: strip the `/api/vN` prefix, check the bot token, apply a
 * scheduled failure, run the route, add rate-limit headers, and record what happened.
 */
import { createHash } from 'node:crypto';
import type { Failures } from './failures';
import { apiError, bucketHeaders, notFound } from './responses';
import type { FakeResponse } from './responses';
import type { Router } from './router';
import type { FakeState, RecordedRequest, Upload } from './state';

export interface IncomingRest {
  method: string;
  /** Full URL path including `/api/v10`. */
  url: URL;
  authorization: string | undefined;
  body: unknown;
  files: string[];
  uploads: Upload[];
}

const API_PREFIX = /^\/api(?:\/v\d+)?(?=\/|$)/;

/** The bucket id Discord would name for a route (stable per method and pattern). */
export const bucketOf = (method: string, pattern: string): string =>
  createHash('sha1').update(`${method} ${pattern}`).digest('hex').slice(0, 16);

export function handleRest(
  deps: { state: FakeState; router: Router; failures: Failures; token: string },
  incoming: IncomingRest,
): FakeResponse {
  const { state, router, failures, token } = deps;
  const prefix = API_PREFIX.exec(incoming.url.pathname);
  const path = prefix
    ? incoming.url.pathname.slice(prefix[0].length) || '/'
    : incoming.url.pathname;
  const route = prefix ? router.find(incoming.method, path) : undefined;
  const bucket = bucketOf(incoming.method, route?.pattern ?? path);

  let response: FakeResponse;
  if (route?.auth && incoming.authorization !== `Bot ${token}`) {
    response = apiError(401, 0);
  } else {
    response =
      failures.take(incoming.method, path, bucket) ??
      route?.handler({
        method: incoming.method,
        path,
        params: route.params,
        query: incoming.url.searchParams,
        body: incoming.body,
        files: incoming.files,
      }) ??
      notFound();
  }
  if (route && response.status !== 429)
    response = { ...response, headers: { ...bucketHeaders(bucket), ...response.headers } };

  const record: RecordedRequest = {
    method: incoming.method,
    path,
    query: Object.fromEntries(incoming.url.searchParams),
    body: incoming.body,
    files: incoming.files,
    uploads: incoming.uploads,
    status: response.status,
  };
  state.requests.push(record);
  // Anything discord.js asks for that the fake does not know is worth a look in a failing test.
  if (!route) state.unknownRoutes.push(record);
  state.changed();
  return response;
}
