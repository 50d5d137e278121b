/**
 * The rss-parser path: XML text → RawFeed. rss-parser is the first choice because it reads
 * RSS 0.9x/1.0/2.0 and Atom leniently enough for most real feeds, but it has defects that this
 * module works around or turns into a thrown error so that the caller falls back to feedsmith:
 * - a Parser keeps xml2js error state between parses, so every call builds a new one;
 * - `<rss>` without a version is rejected unless `defaultRSS` is set;
 * - Atom `type="xhtml"` text, and unescaped markup in RSS text elements, comes back as an xml2js
 *   object with its mixed content re-ordered, so such entries are refused and read by feedsmith;
 * - categories come back as strings, `{ _, $ }` objects (RSS) or are dropped (Atom);
 * - its snippet regexes are quadratic on some text (`line<br>\n` repeated, or `<` without `>`),
 *   so a text node that would take long is refused before rss-parser sees it.
 */
import Parser from 'rss-parser';
import type { RawEntry, RawFeed } from '../domain/item';

type Node = Record<string, unknown>;

/** rss-parser could read this, but not well; the caller tries feedsmith instead. */
class RssParserRefused extends Error {}

// rss-parser's typings omit the [from, to, options] form for feed fields; its code supports it.
const FEED_FIELDS = [
  ['$', 'attrs', { keepArray: true }],
  ['dc:language', 'dcLanguage'],
  ['title', 'titleNodes', { keepArray: true }],
] as unknown as string[];
/** Text elements, kept as raw xml2js nodes to see whether they hold child elements. */
const TEXT_NODES = ['title', 'description', 'content:encoded', 'content', 'summary'];
const ITEM_FIELDS: Array<string | Array<string | { keepArray: boolean }>> = [
  ...TEXT_NODES.map((name) => [name, `${name}Nodes`, { keepArray: true }]),
  ['category', 'categoryNodes', { keepArray: true }],
  ['dc:subject', 'subjects', { keepArray: true }],
  ['published', 'publishedRaw'],
  ['updated', 'updatedRaw'],
  ['issued', 'issuedRaw'],
  ['modified', 'modifiedRaw'],
];

/** Above this many regex steps rss-parser's snippet code would block the event loop noticeably. */
const SNIPPET_COST_LIMIT = 10_000_000;

/**
 * An upper bound on the work of rss-parser's `stripHtml` regexes for one text: each `<` scans
 * lazily to the next `>` that is followed by something other than a newline. One backward pass.
 */
export function snippetCost(text: string): number {
  let cost = 0;
  let next = text.length;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 62 /* > */ && text.charCodeAt(i + 1) !== 10) next = i;
    else if (c === 60 /* < */) cost += next - i;
  }
  return cost;
}

function refuseCostlyText(value: string): string {
  if (value.length > 2000 && snippetCost(value) > SNIPPET_COST_LIMIT) {
    throw new RssParserRefused('a text would make rss-parser quadratic');
  }
  return value;
}

/** The text of an xml2js value: a string, or the `_` of an element that has attributes. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && typeof (value as Node)._ === 'string')
    return (value as Node)._ as string;
  return undefined;
}

function attrs(value: unknown): Node {
  const a = value && typeof value === 'object' ? (value as Node).$ : undefined;
  return a && typeof a === 'object' ? (a as Node) : {};
}

/**
 * Whether a text element holds child elements (Atom xhtml, or unescaped HTML in RSS): xml2js
 * keeps those as an object whose mixed content has lost its order, and rss-parser then reads
 * only part of the text or a re-ordered copy.
 */
function holdsElements(nodes: unknown): boolean {
  const node: unknown = Array.isArray(nodes) ? nodes[0] : undefined;
  return (
    typeof node === 'object' &&
    node !== null &&
    Object.keys(node).some((k) => k !== '_' && k !== '$')
  );
}

function refuseMarkupInText(node: Node): void {
  if (TEXT_NODES.some((name) => holdsElements(node[`${name}Nodes`]))) {
    throw new RssParserRefused('rss-parser cannot read markup inside a text element');
  }
}

function categoryOf(node: unknown): string | undefined {
  const a = attrs(node);
  return textOf(node) ?? textOf(a.label) ?? textOf(a.term);
}

function categories(item: Node): string[] {
  const nodes = [item.categoryNodes, item.subjects].flatMap((v) => (Array.isArray(v) ? v : []));
  return nodes.map(categoryOf).filter((c): c is string => c !== undefined);
}

/** `<link href="…"/>` in an RSS item arrives as an attribute-only object. */
function linkOf(value: unknown): string | undefined {
  return textOf(value) ?? textOf(attrs(value).href);
}

function rssEntry(item: Node): RawEntry {
  refuseMarkupInText(item);
  return {
    guid: textOf(item.guid),
    link: linkOf(item.link),
    title: textOf(item.title),
    contentHtml: textOf(item['content:encoded']),
    summaryHtml: textOf(item.content) ?? textOf(item.summary),
    author: textOf(item['dc:creator']) ?? textOf(item.author),
    categories: categories(item),
    published: textOf(item.pubDate) ?? textOf(item['dc:date']),
  };
}

function atomEntry(item: Node): RawEntry {
  refuseMarkupInText(item);
  return {
    guid: textOf(item.id),
    link: textOf(item.link),
    title: textOf(item.title),
    contentHtml: textOf(item.content),
    summaryHtml: textOf(item.summary),
    author: textOf(item.author),
    categories: categories(item),
    published: textOf(item.publishedRaw) ?? textOf(item.issuedRaw),
    updated: textOf(item.updatedRaw) ?? textOf(item.modifiedRaw),
  };
}

/**
 * Reads `xml` with rss-parser; `root` is the document's root element name, which says whether
 * the items are Atom entries. Throws whatever rss-parser throws, or RssParserRefused.
 */
export async function readWithRssParser(xml: string, root: string): Promise<RawFeed> {
  const parser = new Parser<Node, Node>({
    defaultRSS: 2,
    // xml2js in async mode throws from setImmediate, out of reach of any promise; sync mode
    // runs inside rss-parser's promise executor, so every throw becomes a rejection.
    xml2js: { async: false, valueProcessors: [refuseCostlyText] },
    customFields: { feed: FEED_FIELDS, item: ITEM_FIELDS },
  });
  const out = (await parser.parseString(xml)) as Node & { items?: unknown };
  const atom = root === 'feed';
  refuseMarkupInText(out);
  const items = Array.isArray(out.items) ? (out.items as Node[]) : [];
  return {
    title: textOf(out.title),
    link: textOf(out.link),
    language:
      textOf(out.language) ??
      textOf(out.dcLanguage) ??
      textOf((out.attrs as Node | undefined)?.['xml:lang']),
    entries: items.map(atom ? atomEntry : rssEntry),
    parser: 'rss-parser',
  };
}
