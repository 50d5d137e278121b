/**
 * RawFeed → Item[]: plain text, absolute links, ISO dates, stable keys. Pure: the same feed and
 * context always give the same items.
 */
import { htmlToText } from '../text/html-to-text';
import { clipEntry } from './clip';
import { publishedAt } from './dates';
import { fixCp1252 } from './decode';
import type { Item, RawEntry, RawFeed } from '../domain/item';
import { itemKey, storyKey } from './item-key';
import { guidOf } from './shared-guids';

export interface NormalizeContext {
  feedId: string;
  fetchedAt: Date;
  /** Dates more than a day after this are clamped to it. @default fetchedAt */
  now?: Date;
  /** The feed's URL: the base for relative links when the feed names no absolute site link. */
  url?: string;
  /**
   * Guids known to name several items of this feed (`sharedGuids`): not identities, so an entry
   * carrying one is keyed by its link, else its title, as if it had no guid. @default none
   */
  ignoredGuids?: ReadonlySet<string>;
}

const TITLE_FROM_TEXT_LENGTH = 80;

/** Plain text; a character reference to a C1 control (`&#146;`) is the windows-1252 character. */
function plainText(html: string): string {
  return fixCp1252(htmlToText(html));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function optional(text: string | undefined): string | undefined {
  const t = text === undefined ? '' : oneLine(text);
  return t === '' ? undefined : t;
}

/** An absolute http(s) link, resolved against `base`; anything else is dropped. */
function absoluteLink(link: string | undefined, base: string | undefined): string | undefined {
  const raw = link?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return undefined;
  }
  // As httpUrl would read the resolved link, without parsing it a second time.
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

/** The first words of `text`, cut on a word boundary, for entries that have no title. */
function titleFromText(text: string): string {
  const line = oneLine(text);
  if (line.length <= TITLE_FROM_TEXT_LENGTH) return line;
  const cut = line.slice(0, TITLE_FROM_TEXT_LENGTH + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 0 ? cut.slice(0, space) : cut.slice(0, TITLE_FROM_TEXT_LENGTH)).trimEnd()}…`;
}

/**
 * `jo@example.com (Jo Smith)`, the RSS author form, and `Jo Smith (jo@example.com)`, its common
 * reversal, are shown as the name.
 */
function authorName(author: string | undefined): string | undefined {
  const a = optional(author === undefined ? undefined : plainText(author));
  // Backtracking regexes: only on what can be a name and an address.
  if (!a || a.length > 200) return a;
  const name = a.match(/^\S+@\S+\s+\((.+)\)$/)?.[1] ?? a.match(/^(.+?)\s+\(\S+@\S+\)$/)?.[1];
  return name?.trim() || a;
}

function uniqueCategories(categories: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of categories) {
    const name = oneLine(c);
    if (name && !seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      out.push(name);
    }
  }
  return out;
}

/** What every entry of one feed shares. */
interface FeedScope {
  ctx: NormalizeContext;
  /** Base for relative links. */
  base: string | undefined;
  lang: string | undefined;
}

function normalizeEntry(e: RawEntry, { ctx, base, lang }: FeedScope): Item {
  const description = plainText(e.summaryHtml ?? '');
  const text = (e.contentHtml ? plainText(e.contentHtml) : '') || description;
  const link = absoluteLink(e.link, base);
  const found = oneLine(plainText(e.title ?? ''));
  const title = found || titleFromText(text);
  const rawGuid = guidOf(e);
  const guid = rawGuid !== undefined && ctx.ignoredGuids?.has(rawGuid) ? undefined : rawGuid;
  const author = authorName(e.author);
  // A relative image is relative to the item's page (else the site).
  const image = absoluteLink(e.image, link ?? base);
  const fetchedAt = ctx.fetchedAt;
  const key = itemKey({
    feedId: ctx.feedId,
    guid,
    link,
    title,
    dateAsFound: e.published ?? e.updated ?? '',
  });
  return {
    key,
    storyKey: storyKey({ link, title, key }),
    feedId: ctx.feedId,
    ...(guid !== undefined && { guid }),
    ...(link !== undefined && { link }),
    title,
    description,
    text,
    ...(author !== undefined && { author }),
    categories: uniqueCategories(e.categories),
    publishedAt: publishedAt([e.published, e.updated], { fetchedAt, now: ctx.now ?? fetchedAt }),
    fetchedAt: fetchedAt.toISOString(),
    ...(lang !== undefined && { lang }),
    ...(image !== undefined && { image }),
  };
}

/**
 * Every entry of the feed as an Item, in feed order, one per key. An entry with nothing to read
 * yet (no title, text or link: only a guid, author, date or categories) is an Item whose title
 * and text are empty; see normalizeFeed for what becomes of it.
 */
export function normalizeEntries(feed: RawFeed, ctx: NormalizeContext): Item[] {
  // Relative links are relative to the site (the feed's own link), which may itself be relative.
  const feedUrl = absoluteLink(ctx.url, undefined);
  const scope: FeedScope = {
    ctx,
    base: absoluteLink(feed.link, feedUrl) ?? feedUrl,
    lang: optional(feed.language),
  };
  const items: Item[] = [];
  const keys = new Set<string>();
  for (const entry of feed.entries) {
    const item = normalizeEntry(clipEntry(entry), scope);
    if (!keys.has(item.key)) {
      keys.add(item.key);
      items.push(item);
    }
  }
  return items;
}

/** Whether an item has something for a reader: a title, some text or a link to follow. */
export function hasSomethingToRead(item: Item): boolean {
  return item.title !== '' || item.text !== '' || item.link !== undefined;
}

/**
 * The feed's items. An entry with nothing to read yet is held back, not archived: it is not
 * marked seen, so when a later poll brings its title, text or link it is news then. Archived
 * now, it would be filed under its guid as an empty item and never be posted when it filled in.
 */
export function normalizeFeed(feed: RawFeed, ctx: NormalizeContext): Item[] {
  return normalizeEntries(feed, ctx).filter(hasSomethingToRead);
}
