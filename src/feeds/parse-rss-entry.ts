/**
 * One rss-parser item → RawEntry. The item fields are asked of rss-parser as raw xml2js nodes
 * (ENTRY_FIELDS), so that attributes (Atom `mode`, `rel`, `term`; RSS `isPermaLink`) and the
 * namespaced elements feeds use for the same things (dc:, dcterms:, itunes:, media:) can be
 * read here, in the order a reader should prefer them.
 */
import { entryImage, type MediaRef } from './entry-image';
import type { RawEntry } from '../domain/item';
import { httpUrl } from './item-key';
import { attrs, children, firstText, type Node, nodes, textOf } from './xml2js-node';

/** Text elements, kept as raw xml2js nodes to see whether they hold child elements. */
export const TEXT_NODES = ['title', 'description', 'content:encoded', 'content', 'summary'];

const RAW_NODES = [
  'link',
  'guid',
  'category',
  'dc:subject',
  'dc:description',
  'dc:author',
  'fullitem',
  'published',
  'updated',
  'issued',
  'modified',
  'dcterms:issued',
  'dcterms:modified',
  'itunes:summary',
  'itunes:author',
  'itunes:category',
  'itunes:image',
  'media:group',
  'media:title',
  'media:description',
  'media:category',
  'media:content',
  'media:thumbnail',
  'enclosure',
];

/**
 * Where rss-parser puts each element's nodes: `<name>Nodes`. Made once: a key built at every
 * lookup was a new string for the engine to hash, some forty times an entry.
 */
export const NODES_KEY: Readonly<Record<string, string>> = Object.fromEntries(
  [...TEXT_NODES, ...RAW_NODES].map((name) => [name, `${name}Nodes`]),
);

/** rss-parser's custom item fields: every name above as `<name>Nodes`, an array of nodes. */
export const ENTRY_FIELDS = Object.entries(NODES_KEY).map(([name, key]) => [
  name,
  key,
  { keepArray: true },
]);

const raw = (item: Node, name: string): unknown[] => nodes(item[NODES_KEY[name]!]);

/** Atom types whose text is as written: text, html, xhtml, text/*, and XML media types. */
const TEXTUAL_TYPE = /^(?:text|html|xhtml)$|^text\/|[+/]xml$/i;

/**
 * Atom text, base64-decoded where the entry says it is encoded: Atom 0.3 `mode="base64"`, or
 * Atom 1.0 content of a media type that is not text (RFC 4287, 4.1.3.3).
 */
function atomText(values: unknown[]): string | undefined {
  for (const v of values) {
    const t = textOf(v);
    if (!t?.trim()) continue;
    const { mode, type } = attrs(v);
    const encoded =
      mode === 'base64' || (typeof type === 'string' && type !== '' && !TEXTUAL_TYPE.test(type));
    return encoded ? Buffer.from(t, 'base64').toString('utf8') : t;
  }
  return undefined;
}

/**
 * A category's name: its text (RSS), else `term` (Atom: the category itself, which topics and
 * other readers match on; `label` is only how one site displays it), else `label`.
 */
function categoryName(node: unknown): string | undefined {
  const a = attrs(node);
  return textOf(node) ?? textOf(a.term) ?? textOf(a.label) ?? textOf(a.text);
}

/** itunes:category names its category in `text`, and may nest a subcategory. */
function itunesCategories(values: unknown[]): string[] {
  return values.flatMap((v) => [
    ...[textOf(attrs(v).text)].filter((t): t is string => !!t),
    ...itunesCategories(children([v], 'itunes:category')),
  ]);
}

function categories(item: Node): string[] {
  const named = ['category', 'dc:subject', 'media:category'].flatMap((n) => raw(item, n));
  return [
    ...named.map(categoryName).filter((c): c is string => !!c?.trim()),
    ...itunesCategories(raw(item, 'itunes:category')),
  ];
}

/** An element of the item itself, else of its media:group. */
function media(item: Node, name: string): unknown[] {
  return [...raw(item, name), ...children(raw(item, 'media:group'), name)];
}

function mediaRef(node: unknown): MediaRef {
  const a = attrs(node);
  return { url: textOf(a.url), type: textOf(a.type), medium: textOf(a.medium) };
}

function image(item: Node, html: Array<string | undefined>): string | undefined {
  return entryImage({
    thumbnails: media(item, 'media:thumbnail').map((n) => textOf(attrs(n).url)),
    media: media(item, 'media:content').map(mediaRef),
    enclosures: raw(item, 'enclosure').map(mediaRef),
    itunes: raw(item, 'itunes:image').map((n) => textOf(attrs(n).href) ?? textOf(attrs(n).url)),
    html,
  });
}

/**
 * Atom's link: rel="alternate" (or no rel) first; its `href`, or its text where a feed wrote the
 * URL as content. A link with neither is not a link.
 */
function atomLink(values: unknown[]): string | undefined {
  const target = (v: unknown) => textOf(attrs(v).href) ?? textOf(v);
  const usable = values.filter((v) => target(v)?.trim());
  const rel = (v: unknown) => textOf(attrs(v).rel) ?? 'alternate';
  return target(usable.find((v) => rel(v) === 'alternate') ?? usable[0]);
}

/** A guid that is a permalink (isPermaLink absent or true) and an absolute http(s) URL. */
function permalink(values: unknown[]): string | undefined {
  const guid = values[0];
  const text = textOf(guid)?.trim();
  if (!text || textOf(attrs(guid).isPermaLink)?.trim().toLowerCase() === 'false') return undefined;
  return httpUrl(text) ? text : undefined;
}

/** `<body>` markup is not in the xml2js tree in order; parse-bodies.ts supplies it. */
export function rssEntry(item: Node): RawEntry {
  const contentHtml = firstText(raw(item, 'content:encoded')) ?? firstText(raw(item, 'fullitem'));
  const summaryHtml =
    firstText(raw(item, 'description')) ??
    firstText(raw(item, 'summary')) ??
    firstText(raw(item, 'dc:description')) ??
    firstText(raw(item, 'itunes:summary')) ??
    firstText(media(item, 'media:description'));
  return {
    guid: textOf(item.guid),
    link:
      firstText(raw(item, 'link')) ??
      textOf(attrs(raw(item, 'link')[0]).href) ??
      permalink(raw(item, 'guid')),
    title: firstText(raw(item, 'title')) ?? firstText(media(item, 'media:title')),
    contentHtml,
    summaryHtml,
    author:
      textOf(item['dc:creator']) ??
      textOf(item.author) ??
      firstText(raw(item, 'dc:author')) ??
      firstText(raw(item, 'itunes:author')),
    categories: categories(item),
    published:
      textOf(item.pubDate) ?? textOf(item['dc:date']) ?? firstText(raw(item, 'dcterms:issued')),
    updated: firstText(raw(item, 'dcterms:modified')),
    image: image(item, [contentHtml, summaryHtml]),
  };
}

export function atomEntry(item: Node): RawEntry {
  const contentHtml = atomText(raw(item, 'content'));
  const summaryHtml = atomText(raw(item, 'summary')) ?? firstText(media(item, 'media:description'));
  return {
    guid: textOf(item.id),
    link: atomLink(raw(item, 'link')),
    title: atomText(raw(item, 'title')) ?? firstText(media(item, 'media:title')),
    contentHtml,
    summaryHtml,
    author: textOf(item.author),
    categories: categories(item),
    published: firstText(raw(item, 'published')) ?? firstText(raw(item, 'issued')),
    updated: firstText(raw(item, 'updated')) ?? firstText(raw(item, 'modified')),
    image: image(item, [contentHtml, summaryHtml]),
  };
}
