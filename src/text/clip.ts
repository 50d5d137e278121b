import { quotesBalanced } from './quotes';

const ELLIPSIS = '…';
/** Punctuation that would dangle before the ellipsis: "area, …". */
const DANGLING = new Set([...' ,;:([«"“„\'‘‒–—-']);
const OPENING_QUOTES = /[«"“„]/gu;

/**
 * The last clause of a lead that names its source: ", Energy Minister X said on Friday.",
 * ", according to the statistics committee.", ", сообщил вице-премьер республики.".
 */
const ATTRIBUTION = new RegExp(
  '^(?:[^,]{0,80} )?(?:said|says|told|reported|reports|announced|added|noted|stated|according to|' +
    '(?:сообщил|заявил|сказал|отметил|уточнил|добавил|подчеркнул)[аи]?|сообщает|сообщают|передает|передаёт|говорится|следует из|пишет)' +
    String.raw`(?![\p{L}])[^,]{0,80}[.!?]$`,
  'u',
);
/** An attribution is kept only when the cut lead before it still has this share of the room. */
const MIN_HEAD_SHARE = 0.75;

/**
 * Cuts a lead too long for `maxChars`. Wire leads end with who said it ("…, the ministry said.");
 * that clause is kept after the cut so that the reader still learns the source:
 * "Kazakhstan will raise… the ministry said."
 */
export function clipLead(text: string, maxChars: number): string {
  const comma = text.lastIndexOf(', ');
  const tail = comma > 0 ? text.slice(comma + 2) : '';
  const room = maxChars - tail.length - 1;
  if (!tail || room < maxChars * MIN_HEAD_SHARE || !ATTRIBUTION.test(tail)) {
    return clipAtWord(text, maxChars);
  }
  const head = clipAtWord(text.slice(0, comma), room);
  return head ? `${head} ${tail}` : clipAtWord(text, maxChars);
}

/**
 * Cuts `text` to at most `maxChars` at the last space that leaves room for "…". A cut that would
 * leave a quotation open is moved back before the quotation when that keeps a third of the room.
 */
export function clipAtWord(text: string, maxChars: number): string {
  const room = maxChars - ELLIPSIS.length;
  if (room <= 0) return '';
  const space = text.charAt(room) === ' ' ? room : text.lastIndexOf(' ', room - 1);
  // One word longer than the room has no boundary to cut at; cut it, keeping surrogate pairs whole.
  const cut = space > 0 ? space : isHighSurrogate(text.charCodeAt(room - 1)) ? room - 1 : room;
  const head = withoutDangling(text.slice(0, cut)) || text.slice(0, cut);
  if (!head) return '';
  if (quotesBalanced(head)) return head + ELLIPSIS;
  const open = lastIndexOf(head, OPENING_QUOTES);
  const before = open > room / 3 ? withoutDangling(head.slice(0, open)) : '';
  return (before || head) + ELLIPSIS;
}

function withoutDangling(head: string): string {
  let end = head.length;
  while (end > 0 && DANGLING.has(head.charAt(end - 1))) end--;
  return head.slice(0, end);
}

function lastIndexOf(text: string, pattern: RegExp): number {
  let last = -1;
  for (const m of text.matchAll(pattern)) last = m.index;
  return last;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
