/**
 * Route table for the REST side: `METHOD /path/:param` patterns, matched segment by segment on
 * the decoded path (so `messages/%40original` matches a literal `@original` or a `:messageId`).
 */
import type { FakeResponse } from './responses';

export interface RouteRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: string[];
}

export type RouteHandler = (request: RouteRequest) => FakeResponse;

export interface RouteOptions {
  /** Interaction callbacks and webhook routes are authorised by their token in the URL. @default true */
  auth?: boolean;
  /** Only requests whose params pass this go to the route; others try the next one. */
  when?: (params: Record<string, string>) => boolean;
}

interface Route {
  method: string;
  pattern: string;
  handler: RouteHandler;
  auth: boolean;
  when?: (params: Record<string, string>) => boolean;
}

export interface RouteMatch {
  pattern: string;
  params: Record<string, string>;
  handler: RouteHandler;
  auth: boolean;
}

function segments(path: string): string[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
}

/** The params of `path` under `pattern`, or undefined when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = segments(pattern);
  const got = segments(path);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, w] of want.entries()) {
    const g = got[i] as string;
    if (w.startsWith(':')) params[w.slice(1)] = g;
    else if (w !== g) return undefined;
  }
  return params;
}

/** Splits `'POST /channels/:id/messages'` into its method and path pattern. */
export function parseRouteKey(key: string): { method: string; pattern: string } {
  const [method = '', pattern = ''] = key.trim().split(/\s+/, 2);
  if (!method || !pattern.startsWith('/'))
    throw new Error(`fake Discord: route must look like 'POST /path/:param', got '${key}'`);
  return { method: method.toUpperCase(), pattern };
}

export class Router {
  readonly #routes: Route[] = [];

  add(key: string, handler: RouteHandler, options: RouteOptions = {}): this {
    const { method, pattern } = parseRouteKey(key);
    this.#routes.push({ method, pattern, handler, auth: options.auth ?? true, when: options.when });
    return this;
  }

  find(method: string, path: string): RouteMatch | undefined {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const params = matchPath(route.pattern, path);
      if (params && (route.when?.(params) ?? true))
        return { pattern: route.pattern, params, handler: route.handler, auth: route.auth };
    }
    return undefined;
  }
}
