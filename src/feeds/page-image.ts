/**
 * The picture a web page names for link previews: Open Graph's `og:image` first, then
 * `twitter:image`. Pure: the page's HTML (its head, as the fetcher read it) and its address in,
 * an absolute http(s) URL out. The page is untrusted: the scan only moves forward (a `<meta`
 * that never closes ends it), and only http(s) URLs without credentials and of sane length
 * come out, whatever the attribute held.
 */
import { decodeText } from '../text/html-to-text';

/** Longer than any real image URL; a briefing's links are capped the same (MAX_LINK_LENGTH). */
export const MAX_IMAGE_URL_LENGTH = 2048;

/** A tag longer than this is not a real `<meta>` (an image URL plus its attributes is far less). */
const MAX_TAG_LENGTH = 8192;

/** Names in the order they win: `og:image:url` and `og:image:secure_url` are og:image's other spellings. */
const NAMES = [
  'og:image',
  'og:image:url',
  'og:image:secure_url',
  'twitter:image',
  'twitter:image:src',
];

const ATTRIBUTE = /([^\s"'=<>`/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;

/** A tag's attributes, names lower-cased; the first of a repeated name wins, as in a browser. */
function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (!found.has(name)) found.set(name, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return found;
}

/** `content` as an absolute http(s) URL resolved against the page, or undefined. */
function imageUrl(content: string | undefined, pageUrl: string): string | undefined {
  const text = content === undefined ? '' : decodeText(content).trim();
  if (!text || text.length > MAX_IMAGE_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(text, pageUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // `https://bank.example@evil.example` is a phishing shape, not a picture.
  if (url.username || url.password) return undefined;
  return url.href.length <= MAX_IMAGE_URL_LENGTH ? url.href : undefined;
}

/** The page's preview image as an absolute http(s) URL; undefined when its head names none. */
export function pageImage(html: string, pageUrl: string): string | undefined {
  const headEnd = html.search(/<\/head\b/i);
  const head = headEnd === -1 ? html : html.slice(0, headEnd);
  const meta = /<meta\b/gi;
  const found = new Map<string, string>();
  for (let m = meta.exec(head); m; m = meta.exec(head)) {
    const end = head.indexOf('>', m.index);
    if (end === -1) break;
    // The next search starts after this tag, so a `<meta` inside an attribute is never re-read.
    meta.lastIndex = end + 1;
    if (end - m.index > MAX_TAG_LENGTH) continue;
    const attrs = attributes(head.slice(m.index + 5, end));
    const name = (attrs.get('property') ?? attrs.get('name'))?.trim().toLowerCase();
    if (!name || !NAMES.includes(name) || found.has(name)) continue;
    const url = imageUrl(attrs.get('content'), pageUrl);
    if (url) found.set(name, url);
  }
  for (const name of NAMES) if (found.has(name)) return found.get(name);
  return undefined;
}
