import { isSeq, parseDocument } from 'yaml';
import { normalizeLink } from '../feeds/item-key';
import type { OpmlFeed } from './opml';

/** A feed to add to feeds.yaml, in its own keys. */
export interface NewFeed {
  id: string;
  url: string;
  name?: string;
}

export interface Skipped {
  url: string;
  title?: string;
  reason: string;
}

export interface ImportPlan {
  added: NewFeed[];
  skipped: Skipped[];
}

/** A title on one line, without control characters (a feed's name is shown in Discord). */
const tidy = (text: string) =>
  text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const ID_MAX = 64;
const NAME_MAX = 100;

/** `[a-z0-9-]` from a title ("Café & Société" → "cafe-societe"), else from the URL's host and path. */
function baseId(feed: OpmlFeed, url: URL): string {
  const slug = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, ID_MAX - 4)
      .replace(/-+$/, '');
  return (
    slug(feed.title ?? '') || slug(`${url.hostname.replace(/^www\./, '')}${url.pathname}`) || 'feed'
  );
}

/**
 * What importing `incoming` into a catalogue holding `existing` does: feeds whose canonical URL
 * (`normalizeLink`: no `www.`, tracking parameters or trailing slash) is already there, or
 * earlier in the file, are skipped, as are URLs that are not http(s); the rest get an id derived
 * from their title, made unique.
 */
export function planOpmlImport(
  existing: readonly { id: string; url: string }[],
  incoming: readonly OpmlFeed[],
): ImportPlan {
  const byUrl = new Map<string, string>();
  for (const feed of existing) {
    const key = normalizeLink(feed.url);
    if (key) byUrl.set(key, `already in feeds.yaml as "${feed.id}"`);
  }
  const ids = new Set(existing.map((f) => f.id));
  const plan: ImportPlan = { added: [], skipped: [] };
  for (const feed of incoming) {
    const key = normalizeLink(feed.url);
    const title = feed.title ? tidy(feed.title) || undefined : undefined;
    const skip = (reason: string) =>
      plan.skipped.push({ url: feed.url, ...(title ? { title } : {}), reason });
    if (!key) {
      skip('not an http(s) URL');
      continue;
    }
    const known = byUrl.get(key);
    if (known) {
      skip(known);
      continue;
    }
    const base = baseId(feed, new URL(feed.url));
    let id = base;
    for (let n = 2; ids.has(id); n += 1) id = `${base}-${n}`;
    ids.add(id);
    byUrl.set(key, `listed earlier in the file as "${id}"`);
    plan.added.push({
      id,
      url: new URL(feed.url).href,
      ...(title ? { name: title.slice(0, NAME_MAX).trim() } : {}),
    });
  }
  return plan;
}

/**
 * feeds.yaml with `feeds` appended to its list, edited through the YAML Document so the
 * operator's comments, order and spacing stay as they were.
 */
export function appendFeeds(yamlText: string, feeds: readonly NewFeed[]): string {
  const doc = parseDocument(yamlText);
  let list = doc.get('feeds', true);
  if (!isSeq(list)) {
    doc.set('feeds', doc.createNode([]));
    list = doc.get('feeds', true);
  }
  if (!isSeq(list)) throw new Error('feeds.yaml: could not create the feeds list');
  // `feeds: []` is a flow list; appended entries read better as a block.
  list.flow = false;
  for (const feed of feeds) list.add(doc.createNode(feed));
  return doc.toString({ lineWidth: 0 });
}
