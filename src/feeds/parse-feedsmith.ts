/**
 * The feedsmith path: feed text → RawFeed, for documents rss-parser cannot read (bare `&`,
 * unquoted attributes, Atom xhtml) and for JSON Feed. Fields map to the same RawEntry fields as
 * the rss-parser path, so an item's key does not change when a feed flips between parsers.
 */
import type { AtomFeed, JsonFeed, MediaNs, RdfFeed, RssFeed } from 'feedsmith';
import { entryImage, type MediaRef } from './entry-image';
import type { RawEntry, RawFeed } from '../domain/item';
import { httpUrl } from './item-key';

type Atom = AtomFeed.Feed<string>;
type Rss = RssFeed.Feed<string>;
type Rdf = RdfFeed.Feed<string>;
type Json = JsonFeed.Feed<string>;

const nonEmpty = (values: Array<string | undefined>): string[] =>
  values.filter((v): v is string => typeof v === 'string' && v !== '');

/** The link a reader follows: rel="alternate" (or no rel), else the first. */
function atomLink(links: Array<{ href?: string; rel?: string }> | undefined): string | undefined {
  if (!links) return undefined;
  return (links.find((l) => l.rel === 'alternate') ?? links.find((l) => !l.rel) ?? links[0])?.href;
}

type Media = MediaNs.ItemOrFeed;

/** The same choice of picture as the rss-parser path: media (also in groups), enclosure, itunes, HTML. */
function imageOf(
  media: Media | undefined,
  enclosures: MediaRef[],
  itunes: string | undefined,
  html: Array<string | undefined>,
): string | undefined {
  const scopes = [media, ...(media?.groups ?? [])];
  return entryImage({
    thumbnails: scopes.flatMap((m) => m?.thumbnails ?? []).map((t) => t.url),
    media: scopes.flatMap((m) => m?.contents ?? []),
    enclosures,
    itunes: [itunes],
    html,
  });
}

/** A guid that is a permalink (isPermaLink absent or true) and an absolute http(s) URL. */
function permalink(
  guid: { value?: string; isPermaLink?: boolean } | undefined,
): string | undefined {
  const value = guid?.value?.trim();
  return value && guid?.isPermaLink !== false && httpUrl(value) ? value : undefined;
}

/** JSON Feed text is plain; escaping it lets it go through the same HTML → text step. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function fromRss(feed: Rss): RawFeed {
  return {
    title: feed.title,
    link: feed.link,
    language: feed.language ?? feed.dc?.languages?.[0],
    parser: 'feedsmith',
    entries: (feed.items ?? []).map((item) => ({
      guid: item.guid?.value,
      link: item.link ?? permalink(item.guid),
      title: item.title,
      contentHtml: item.content?.encoded,
      summaryHtml: item.description,
      image: imageOf(item.media, item.enclosures ?? [], item.itunes?.image, [
        item.content?.encoded,
        item.description,
      ]),
      author: item.dc?.creators?.[0] ?? item.authors?.[0]?.name ?? item.authors?.[0]?.email,
      categories: nonEmpty([
        ...(item.categories ?? []).map((c) => c.name),
        ...(item.dc?.subjects ?? []),
      ]),
      published: item.pubDate ?? item.dc?.dates?.[0],
    })),
  };
}

function fromRdf(feed: Rdf): RawFeed {
  return {
    title: feed.title,
    link: feed.link,
    language: feed.dc?.languages?.[0],
    parser: 'feedsmith',
    entries: (feed.items ?? []).map((item) => ({
      link: item.link,
      title: item.title,
      contentHtml: item.content?.encoded,
      summaryHtml: item.description,
      author: item.dc?.creators?.[0],
      categories: nonEmpty(item.dc?.subjects ?? []),
      published: item.dc?.dates?.[0],
    })),
  };
}

function fromAtom(feed: Atom): RawFeed {
  return {
    title: feed.title?.value,
    link: atomLink(feed.links),
    language: feed.xml?.lang,
    parser: 'feedsmith',
    entries: (feed.entries ?? []).map((entry) => ({
      guid: entry.id,
      link: atomLink(entry.links),
      title: entry.title?.value,
      contentHtml: entry.content?.value,
      summaryHtml: entry.summary?.value,
      author: entry.authors?.[0]?.name,
      categories: nonEmpty((entry.categories ?? []).map((c) => c.term ?? c.label)),
      published: entry.published,
      updated: entry.updated,
      image: imageOf(entry.media, [], entry.itunes?.image, [
        entry.content?.value,
        entry.summary?.value,
      ]),
    })),
  };
}

function fromJson(feed: Json): RawFeed {
  return {
    title: feed.title,
    link: feed.home_page_url,
    language: feed.language,
    parser: 'feedsmith',
    entries: (feed.items ?? []).map(
      (item): RawEntry => ({
        guid: item.id,
        link: item.url ?? item.external_url,
        title: item.title,
        contentHtml:
          item.content_html ??
          (item.content_text === undefined ? undefined : escapeHtml(item.content_text)),
        summaryHtml: item.summary === undefined ? undefined : escapeHtml(item.summary),
        author: item.authors?.[0]?.name,
        categories: nonEmpty(item.tags ?? []),
        published: item.date_published,
        updated: item.date_modified,
      }),
    ),
  };
}

/** Loaded on first use: most feeds never need the fallback, and feedsmith costs ~10 MB resident. */
let feedsmith: Promise<typeof import('feedsmith')> | undefined;

/** Reads RSS, Atom, RDF or JSON Feed text with feedsmith; throws whatever feedsmith throws. */
export async function readWithFeedsmith(text: string): Promise<RawFeed> {
  const parsed = (await (feedsmith ??= import('feedsmith'))).parseFeed(text);
  switch (parsed.format) {
    case 'rss':
      return fromRss(parsed.feed);
    case 'rdf':
      return fromRdf(parsed.feed);
    case 'atom':
      return fromAtom(parsed.feed);
    case 'json':
      return fromJson(parsed.feed);
  }
}
