/**
 * The rss-parser path: XML text → RawFeed. rss-parser is the first choice because it reads
 * RSS 0.9x/1.0/2.0 and Atom leniently enough for most real feeds, but it has defects that this
 * module works around or turns into a thrown error so that the caller falls back to feedsmith:
 * - a Parser keeps xml2js error state between parses, so every call builds a new one;
 * - `<rss>` without a version is rejected unless `defaultRSS` is set;
 * - Atom `type="xhtml"` text, and unescaped markup in RSS text elements, comes back as an xml2js
 *   object with its mixed content re-ordered, so such entries are refused and read by feedsmith;
 * - its snippet regexes are quadratic on some text (`line<br>\n` repeated, or `<` without `>`),
 *   so a text node that would take long is refused before rss-parser sees it.
 */
import Parser from 'rss-parser';
import type { RawFeed } from '../domain/item';
import { atomEntry, ENTRY_FIELDS, NODES_KEY, rssEntry, TEXT_NODES } from './parse-rss-entry';
import { type Node, textOf } from './xml2js-node';

/** rss-parser could read this, but not well; the caller tries feedsmith instead. */
class RssParserRefused extends Error {}

// rss-parser's typings omit the [from, to, options] form for feed fields; its code supports it.
const FEED_FIELDS = [
  ['$', 'attrs', { keepArray: true }],
  ['dc:language', 'dcLanguage'],
  ['title', 'titleNodes', { keepArray: true }],
] as unknown as string[];
/** Above this many regex steps rss-parser's snippet code would block the event loop noticeably. */
const SNIPPET_COST_LIMIT = 10_000_000;

/**
 * An upper bound on the work of rss-parser's `stripHtml` regexes for one text: each `<` scans
 * lazily to the next `>` that is followed by something other than a newline. Jumps from `<` to
 * `<` and keeps that `>` until a `<` passes it, so the work follows the markup, not the text
 * (a character-by-character pass over every long value was a tenth of our parse).
 */
export function snippetCost(text: string): number {
  let cost = 0;
  let next = -1; // the first '>' not followed by a newline, at or after the current '<'
  for (let lt = text.indexOf('<'); lt !== -1; lt = text.indexOf('<', lt + 1)) {
    if (next < lt) {
      next = text.indexOf('>', lt);
      while (next !== -1 && text.charCodeAt(next + 1) === 10) next = text.indexOf('>', next + 1);
      if (next === -1) next = text.length;
    }
    cost += next - lt;
  }
  return cost;
}

function refuseCostlyText(value: string): string {
  if (value.length > 2000 && snippetCost(value) > SNIPPET_COST_LIMIT) {
    throw new RssParserRefused('a text would make rss-parser quadratic');
  }
  return value;
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
  if (TEXT_NODES.some((name) => holdsElements(node[NODES_KEY[name]!]))) {
    throw new RssParserRefused('rss-parser cannot read markup inside a text element');
  }
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
    customFields: { feed: FEED_FIELDS, item: ENTRY_FIELDS as unknown as string[] },
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
    entries: items.map((item) => {
      refuseMarkupInText(item);
      return atom ? atomEntry(item) : rssEntry(item);
    }),
    parser: 'rss-parser',
  };
}
