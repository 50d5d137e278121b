/**
 * Channel Definition Format (CDF), Microsoft's 1997 push format, and RSS written without its
 * `<rss>` wrapper: both have `<channel>` as the root. CDF names its elements in capitals and puts
 * an item's link and date in attributes (`<ITEM HREF="…" LASTMOD="…">`, `<ABSTRACT>` for the
 * description). Such a document is rewritten as RSS 2.0 for the RSS parsers: one forward pass
 * over its tags; everything between them is kept as written.
 */

const TAG = /<(\/?)(channel|item|abstract)\b([^>]{0,4000}?)(\/?)>/gi;
const ATTRIBUTE = /\b(href|lastmod)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

/** HREF and LASTMOD of a CDF tag, as RSS child elements (their values are escaped already). */
function attributesAsElements(attrs: string): string {
  let out = '';
  for (const m of attrs.matchAll(ATTRIBUTE)) {
    const value = m[2] ?? m[3] ?? '';
    out +=
      m[1]!.toLowerCase() === 'href'
        ? `<link>${value}</link>`
        : `<dcterms:modified>${value}</dcterms:modified>`;
  }
  return out;
}

function rewriteTag(
  _: string,
  close: string,
  name: string,
  attrs: string,
  selfClosing: string,
): string {
  const tag = name.toLowerCase() === 'abstract' ? 'description' : name.toLowerCase();
  if (close) return tag === 'channel' ? '</channel></rss>' : `</${tag}>`;
  const open = `${tag === 'channel' ? '<rss version="2.0">' : ''}<${tag}>${tag === 'description' ? '' : attributesAsElements(attrs)}`;
  return selfClosing ? `${open}${rewriteTag('', '/', name, '', '')}` : open;
}

/** `text` (whose root is `<channel>`) as an RSS 2.0 document. */
export function channelAsRss(text: string): string {
  return text.replace(TAG, rewriteTag).replace(/<(\/?)title\b/gi, '<$1title');
}
