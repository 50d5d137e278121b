/**
 * Every way a fetch fails becomes one FeedError whose message names the reason and the URL
 * (`Feed fetch failed (429 Too Many Requests): https://…`) and whose `details.kind` tells the
 * scheduler how to retry: transient failures back off, permanent ones are retried slowly.
 */
import { STATUS_CODES } from 'node:http';
import { FeedError } from '../errors';
import { parseRetryAfter } from './retry-after';

type Kind = 'transient' | 'permanent';

export function fetchFailed(
  reason: string,
  url: string,
  details: { kind: Kind; status?: number; retryAfterMs?: number; cause?: unknown },
): FeedError {
  return new FeedError(`Feed fetch failed (${reason}): ${url}`, url, details);
}

/** `300ms`, `15s`, `1.5s` — timeouts are configured in ms but read by people. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${+(ms / 1000).toFixed(1)}s`;
}

export function formatBytes(n: number): string {
  return n < 1024 * 1024 ? `${n} bytes` : `${+(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** 4xx is the feed's fault and will not fix itself, except Request Timeout and Too Many Requests. */
function statusKind(status: number): Kind {
  return status >= 500 || status === 408 || status === 429 ? 'transient' : 'permanent';
}

export function statusError(
  status: number,
  url: string,
  retryAfter: string | undefined,
  now: number,
): FeedError {
  const retryAfterMs =
    status === 429 || status === 503 ? parseRetryAfter(retryAfter, now) : undefined;
  const text = STATUS_CODES[status];
  return fetchFailed(text ? `${status} ${text}` : `HTTP ${status}`, url, {
    kind: statusKind(status),
    status,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}

export interface Timeouts {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
};

/** Maps an undici/socket/TLS error to a transient FeedError (network trouble is worth retrying). */
export function networkError(err: unknown, url: string, t: Timeouts): FeedError {
  if (err instanceof FeedError) return err;
  const code = (err as { code?: string }).code ?? '';
  const reason =
    code === 'UND_ERR_CONNECT_TIMEOUT'
      ? `timed out connecting after ${formatDuration(t.connectTimeoutMs)}`
      : code === 'UND_ERR_HEADERS_TIMEOUT'
        ? `timed out waiting for headers after ${formatDuration(t.headersTimeoutMs)}`
        : code === 'UND_ERR_BODY_TIMEOUT'
          ? bodyTimeoutReason(t.bodyTimeoutMs)
          : (NETWORK_REASONS[code] ?? `network error: ${(err as Error).message ?? String(err)}`);
  return fetchFailed(reason, url, { kind: 'transient', cause: err });
}

export function bodyTimeoutReason(ms: number): string {
  return `timed out reading the body after ${formatDuration(ms)}`;
}
