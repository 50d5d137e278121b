/**
 * SSRF guard for feed URLs added by guild admins. Such a URL must not make the bot read its own
 * machine, the operator's network or a cloud metadata service, so:
 *  - only http(s), and no username/password in the URL;
 *  - the host is resolved here, every address it resolves to is checked, and the connection is
 *    then pinned to those checked addresses ({@link pinnedLookup}) so a second DNS answer
 *    (rebinding) cannot swap in another one;
 *  - the fetcher repeats the check on every redirect hop;
 *  - with ALLOW_PRIVATE_FEEDS, private addresses are allowed but cloud metadata services still
 *    are not: they hand out the machine's credentials to whoever asks, so reaching them takes a
 *    second, explicit setting (ALLOW_CLOUD_METADATA_FEEDS).
 * Odd IPv4 spellings (2130706433, 0177.0.0.1, 0x7f.1) need no special case: WHATWG URL parsing
 * normalises them to dotted quads before the hostname reaches this module.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { FeedError } from '../errors';
import { fetchFailed, formatDuration } from './fetch-errors';

type Family = 'ipv4' | 'ipv6';

const METADATA = 'cloud metadata';

/** First match wins, so specific labels (metadata, broadcast) come before their wider ranges. */
const IPV4_RANGES: Array<[string, number, string]> = [
  // AWS, Azure, GCP, OpenStack, DigitalOcean…; AWS ECS task credentials; Alibaba; Oracle; Azure's host agent.
  ['169.254.169.254', 32, METADATA],
  ['169.254.170.2', 32, METADATA],
  ['100.100.100.200', 32, METADATA],
  ['192.0.0.192', 32, METADATA],
  ['168.63.129.16', 32, METADATA],
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const IPV6_RANGES: Array<[string, number, string]> = [
  // AWS's instance metadata and EKS pod identity on IPv6.
  ['fd00:ec2::254', 128, METADATA],
  ['fd00:ec2::23', 128, METADATA],
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  // Deprecated IPv4-compatible form (::127.0.0.1); nothing public lives there.
  ['::', 96, 'reserved'],
  ['fe80::', 10, 'link-local'],
  ['fc00::', 7, 'unique-local'],
  ['ff00::', 8, 'multicast'],
  // Transition and special-purpose ranges that end at an address nobody checked: 6to4 and Teredo
  // tunnel to an embedded IPv4 address, local-use NAT64 translates into the operator's network.
  ['2002::', 16, '6to4'],
  ['2001::', 32, 'Teredo'],
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['fec0::', 10, 'site-local'],
  ['100::', 64, 'discard-only'],
];

const RULES: Array<[BlockList, Family, string]> = [
  // Node's BlockList also matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against IPv4 rules.
  ...IPV4_RANGES.map(([net, bits, label]) => rule(net, bits, 'ipv4', label)),
  ...IPV6_RANGES.map(([net, bits, label]) => rule(net, bits, 'ipv6', label)),
  // A NAT64 gateway would carry 64:ff9b::10.0.0.1 to 10.0.0.1.
  ...IPV4_RANGES.map(([net, bits, label]) =>
    rule(`64:ff9b::${net}`, 96 + bits, 'ipv6', `${label} via NAT64`),
  ),
];

function rule(
  net: string,
  bits: number,
  family: Family,
  label: string,
): [BlockList, Family, string] {
  const list = new BlockList();
  list.addSubnet(net, bits, family);
  return [list, family, label];
}

function familyOf(ip: string): Family | undefined {
  const v = isIP(ip);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
}

/** Why an address must not be fetched ('loopback', 'private', …), or undefined for a public one. */
export function forbiddenReason(ip: string): string | undefined {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = familyOf(bare);
  if (!family) return 'not an IP address';
  for (const [list, ruleFamily, label] of RULES) {
    if ((family === ruleFamily || family === 'ipv6') && list.check(bare, family)) return label;
  }
  return undefined;
}

/** Whether a {@link forbiddenReason} names a cloud metadata service (directly or via NAT64). */
function isMetadata(reason: string): boolean {
  return reason.startsWith(METADATA);
}

export function isForbiddenAddress(ip: string): boolean {
  return forbiddenReason(ip) !== undefined;
}

function refused(url: string, why: string): FeedError {
  return new FeedError(`Feed URL refused: ${url} ${why}`, url, { kind: 'permanent' });
}

/** The URL without username/password, safe to put in messages. */
export function displayUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const copy = new URL(url.href);
  copy.username = copy.password = '';
  return copy.href;
}

/** Parses an untrusted URL and checks what can be checked without DNS; throws a permanent FeedError. */
export function checkUrlShape(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused(String(raw), 'is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const scheme = url.protocol.slice(0, -1);
    throw refused(displayUrl(url), `uses ${scheme}; only http and https feeds are allowed`);
  }
  if (url.username || url.password)
    throw refused(displayUrl(url), 'contains a username or password');
  return url;
}

export type Resolve = (hostname: string) => Promise<string[]>;

export interface UrlGuardOptions {
  /** DNS resolution, injectable so tests need no internet. @default getaddrinfo via dns.lookup */
  resolve?: Resolve;
  /** Addresses or CIDRs (`10.1.2.3`, `10.1.0.0/16`) allowed even though they are private. */
  allowAddresses?: string[];
  /** Limit on one DNS resolution (getaddrinfo can stall for long). @default 10_000 */
  timeoutMs?: number;
  /** ALLOW_PRIVATE_FEEDS: every non-public address is allowed but cloud metadata. @default false */
  allowPrivate?: boolean;
  /** ALLOW_CLOUD_METADATA_FEEDS, with allowPrivate: cloud metadata addresses too. @default false */
  allowCloudMetadata?: boolean;
}

/**
 * Checks a URL's shape and every address its host resolves to; resolves with the addresses to
 * pin. Rejects with the signal's reason if it aborts during resolution.
 */
export type UrlGuard = (url: URL, signal?: AbortSignal) => Promise<string[]>;

const systemResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export function createUrlGuard(options: UrlGuardOptions = {}): UrlGuard {
  const resolve = options.resolve ?? systemResolve;
  const allowed = new BlockList();
  for (const entry of options.allowAddresses ?? []) {
    const [net = '', bits] = entry.split('/');
    const family = familyOf(net);
    if (!family) throw new RangeError(`allowAddresses: ${entry} is not an address or CIDR`);
    if (bits === undefined) allowed.addAddress(net, family);
    else allowed.addSubnet(net, Number(bits), family);
  }

  const timeoutMs = options.timeoutMs ?? 10_000;
  const allowedByPolicy = (reason: string) =>
    options.allowPrivate === true &&
    reason !== 'not an IP address' &&
    (!isMetadata(reason) || options.allowCloudMetadata === true);

  /** `resolve`, bounded by the timeout and the signal; a lookup left behind is harmless. */
  async function addressesOf(url: URL, host: string, signal?: AbortSignal): Promise<string[]> {
    signal?.throwIfAborted();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      const timeout = `timed out resolving ${host} after ${formatDuration(timeoutMs)}`;
      timer = setTimeout(
        () => reject(fetchFailed(timeout, url.href, { kind: 'transient' })),
        timeoutMs,
      );
      onAbort = () => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([resolve(host), stop]);
    } catch (err) {
      if (err instanceof FeedError || signal?.aborted) throw err;
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw fetchFailed(`DNS lookup failed: ${code}`, url.href, { kind: 'transient', cause: err });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort!);
    }
  }

  return async (target, signal) => {
    const url = checkUrlShape(target);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : await addressesOf(url, host, signal);
    if (addresses.length === 0) throw refused(url.href, 'resolves to no address');
    // Every address, not just the first: the connection may use any of them.
    for (const ip of addresses) {
      const reason = allowed.check(ip, familyOf(ip) ?? 'ipv4') ? undefined : forbiddenReason(ip);
      if (reason && !allowedByPolicy(reason))
        throw refused(url.href, `resolves to ${ip} (${reason})`);
    }
    return addresses;
  };
}

/** A `lookup` for net/tls connect that answers only the given, already checked, addresses. */
export function pinnedLookup(addresses: string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) }));
  return (_hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const wanted = entries.filter((e) => !family || e.family === family);
    const first = wanted[0];
    if (!first) {
      const err: NodeJS.ErrnoException = new Error(`no pinned address of family ${family}`);
      err.code = 'ENOTFOUND';
      return callback(err, '');
    }
    if (options.all) callback(null, wanted);
    else callback(null, first.address, first.family);
  };
}
