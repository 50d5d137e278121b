/**
 * XHTML bodies of RSS items (`<body xmlns="http://www.w3.org/1999/xhtml">` or `<xhtml:body>`):
 * the item's full content as markup inside the feed's XML. The XML parsers hand mixed content
 * back re-ordered or not at all, so the markup is taken from the document text as written: one
 * forward pass over the items, in document order, which is also the order of the parsed entries.
 */
import type { RawEntry } from '../domain/item';

const ITEM_OPEN = /<(?:[\w.-]+:)?item[\s>/]/g;
const BODY = /<((?:xhtml:)?body)\b[^>]*>/y;

/** The inner markup of the item's first body element, if the item holds one. */
function bodyOf(item: string): string | undefined {
  for (let at = item.indexOf('<'); at !== -1; at = item.indexOf('<', at + 1)) {
    BODY.lastIndex = at;
    const open = BODY.exec(item);
    if (!open) continue;
    const close = item.indexOf(`</${open[1]}>`, BODY.lastIndex);
    return close === -1 ? undefined : item.slice(BODY.lastIndex, close);
  }
  return undefined;
}

/** The text of each `<item>` element of `xml`, in order. */
function itemTexts(xml: string): string[] {
  const items: string[] = [];
  ITEM_OPEN.lastIndex = 0;
  const starts = [...xml.matchAll(ITEM_OPEN)].map((m) => m.index);
  for (let i = 0; i < starts.length; i++)
    items.push(xml.slice(starts[i], starts[i + 1] ?? xml.length));
  return items;
}

/**
 * Entries whose content is an XHTML body get it as contentHtml (content:encoded still wins).
 * When the items found in the text do not line up with the entries, nothing is changed.
 */
export function withXhtmlBodies(xml: string, entries: RawEntry[]): RawEntry[] {
  // Most feeds give every entry its content: then the document is not searched for bodies.
  if (entries.every((e) => e.contentHtml)) return entries;
  if (!/<(?:xhtml:)?body\b/.test(xml)) return entries;
  const items = itemTexts(xml);
  if (items.length !== entries.length) return entries;
  return entries.map((entry, i) => {
    if (entry.contentHtml) return entry;
    const body = bodyOf(items[i]!);
    return body?.trim() ? { ...entry, contentHtml: body } : entry;
  });
}
