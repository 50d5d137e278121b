/**
 * RawFeed → Item[]: plain text, absolute links, ISO dates, stable keys. Pure: the same feed and
 * context always give the same items.
 */
import { htmlToText } from '../text/html-to-text';
import { publishedAt } from './dates';
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
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The first words of `text`, cut on a word boundary, for entries that have no title. */
function titleFromText(text: string): string {
  const line = oneLine(text);
  if (line.length <= TITLE_FROM_TEXT_LENGTH) return line;
  const cut = line.slice(0, TITLE_FROM_TEXT_LENGTH + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 0 ? cut.slice(0, space) : cut.slice(0, TITLE_FROM_TEXT_LENGTH)).trimEnd()}…`;
}

/** `jo@example.com (Jo Smith)`, the RSS author form, is shown as the name. */
function authorName(author: string | undefined): string | undefined {
  const a = optional(author === undefined ? undefined : htmlToText(author));
  return a?.match(/^\S+@\S+\s+\((.+)\)$/)?.[1]?.trim() ?? a;
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

function normalizeEntry(e: RawEntry, { ctx, base, lang }: FeedScope): Item | undefined {
  const description = htmlToText(e.summaryHtml ?? '');
  const text = (e.contentHtml ? htmlToText(e.contentHtml) : '') || description;
  const link = absoluteLink(e.link, base);
  const found = oneLine(htmlToText(e.title ?? ''));
  if (!found && !text && !link) return undefined;
  const title = found || titleFromText(text);
  const rawGuid = guidOf(e);
  const guid = rawGuid !== undefined && ctx.ignoredGuids?.has(rawGuid) ? undefined : rawGuid;
  const author = authorName(e.author);
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
  };
}

export function normalizeFeed(feed: RawFeed, ctx: NormalizeContext): Item[] {
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
    const item = normalizeEntry(entry, scope);
    if (item && !keys.has(item.key)) {
      keys.add(item.key);
      items.push(item);
    }
  }
  return items;
}
