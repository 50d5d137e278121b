/** Options of the feed fetcher, with their defaults in one place. */
import type { Resolve } from './url-guard';

/** Slots per host name; resolves with a release once one is free. */
export interface HostSlots {
  acquire(host: string, signal?: AbortSignal): Promise<() => void>;
}

export interface FetcherOptions {
  /** @default 'briefing-bot/0.1 (+https://github.com/briefing-bot/briefing-bot)' */
  userAgent?: string;
  /** Also bounds the guard's own DNS lookup for untrusted URLs. @default 10_000 */
  connectTimeoutMs?: number;
  /** From sending the request to the end of the response headers. @default 15_000 */
  headersTimeoutMs?: number;
  /** Deadline for the whole body, from the end of the headers. @default 30_000 */
  bodyTimeoutMs?: number;
  /** Cap on the body, counted after decompression. @default 10 MiB */
  maxBytes?: number;
  /** @default 5 */
  maxRedirects?: number;
  /** Fetches running at once, overall. @default 8 */
  concurrency?: number;
  /** Fetches running at once against one host name. @default 2 */
  perHostConcurrency?: number;
  /**
   * The per-host cap shared with other processes (`start --role worker`): a slot taken after this
   * process's own, released with it. A failure to take one is the store's, not the feed's.
   */
  sharedHostSlots?: HostSlots;
  /** ALLOW_PRIVATE_FEEDS: untrusted URLs may target private addresses, but not cloud metadata. @default false */
  allowPrivate?: boolean;
  /** ALLOW_CLOUD_METADATA_FEEDS, with allowPrivate: cloud metadata addresses too. @default false */
  allowCloudMetadata?: boolean;
  /** Private addresses or CIDRs that untrusted URLs may target anyway (e.g. an internal RSS bridge). */
  allowAddresses?: string[];
  /** DNS for untrusted URLs, injectable for tests. @default dns.lookup (getaddrinfo) */
  resolve?: Resolve;
  /** Clock for Retry-After HTTP-dates. @default Date.now */
  now?: () => number;
}

/** Politeness to one publisher: fetches at once per host name. */
export const PER_HOST_CONCURRENCY = 2;

const DEFAULTS = {
  userAgent: 'briefing-bot/0.1 (+https://github.com/briefing-bot/briefing-bot)',
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 30_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  concurrency: 8,
  perHostConcurrency: PER_HOST_CONCURRENCY,
  allowPrivate: false,
  now: Date.now,
};

/** Options with defaults filled in; an explicit `undefined` (e.g. an unset env variable) keeps the default. */
/** Options with every default filled in, as the fetcher's parts read them. */
export type ResolvedFetcherOptions = typeof DEFAULTS & FetcherOptions;

export function withDefaults(options: FetcherOptions): ResolvedFetcherOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...DEFAULTS, ...(given as FetcherOptions) };
}
