/**
 * Identities for items. `itemKey` names one entry of one feed and must not change between runs
 * (or it would be posted again); `storyKey` recognises the same story arriving from several
 * feeds, so it ignores what differs between them: tracking parameters, `www.`, fragments, case.
 */
import { hash } from 'node:crypto';

/** Campaign tags and the click ids of the big ad and mail platforms: never part of what a link names. */
const TRACKING_PARAM =
  /^(?:utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid)$/i;

/** `link` as an absolute http(s) URL; undefined for anything else (relative, `javascript:`, junk). */
export function httpUrl(link: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

/**
 * A canonical form of an http(s) link, for comparing links: `https:` for either scheme (a site
 * moving to https renames nothing), lowercase host, no `www.`, no fragment, no tracking
 * parameters, remaining parameters sorted, no trailing slash.
 * Undefined when the link is not an absolute http(s) URL.
 */
export function normalizeLink(link: string): string | undefined {
  const url = httpUrl(link);
  if (!url) return undefined;
  // Most links have no query: reading `searchParams` builds an object, and sorting rewrites the URL.
  if (url.search !== '') {
    for (const name of [...url.searchParams.keys()])
      if (TRACKING_PARAM.test(name)) url.searchParams.delete(name);
    url.searchParams.sort();
  }
  const host = url.host.replace(/^www\./, '');
  let path = url.pathname;
  while (path.endsWith('/')) path = path.slice(0, -1);
  return `https://${host}${path}${url.search}`;
}

/**
 * The link as a story's identity: `normalizeLink` without the scheme, since outlets link the same
 * page over http and https. `normalizeLink` itself keeps the scheme because item keys and seen
 * identities are built on it and must not change between versions (a changed key is a new item).
 */
export function canonicalLink(link: string): string | undefined {
  return normalizeLink(link)?.replace(/^https?:\/\//, '');
}

/** A title reduced to its lowercased words (Unicode letters and digits), for comparing titles. */
export function titleFingerprint(title: string): string {
  return (
    title
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? []
  ).join(' ');
}

export interface KeyParts {
  feedId: string;
  guid?: string;
  /** Absolute http(s) link as it will be stored on the item. */
  link?: string;
  /** Plain-text title. */
  title: string;
  /** The entry's date string exactly as found in the feed ('' when it has none). */
  dateAsFound: string;
}

/** Stable across runs: feed id + guid, else normalised link, else title + date as found. */
export function itemKey(p: KeyParts): string {
  const normalized = p.link ? normalizeLink(p.link) : undefined;
  const identity = p.guid
    ? `g:${p.guid}`
    : normalized
      ? `l:${normalized}`
      : `t:${p.title}|${p.dateAsFound}`;
  // One-shot hash: a third of createHash's cost for a string this short.
  return hash('sha256', `${p.feedId}\n${identity}`, 'base64url').slice(0, 22);
}

/**
 * The normalised link, else the title fingerprint; an item with neither (a title of only
 * punctuation or emoji) is a story of its own rather than the same story as every other such item.
 */
export function storyKey(p: { link?: string; title: string; key: string }): string {
  const normalized = p.link ? normalizeLink(p.link) : undefined;
  if (normalized) return `l:${normalized}`;
  const fingerprint = titleFingerprint(p.title);
  return fingerprint ? `t:${fingerprint}` : `k:${p.key}`;
}
