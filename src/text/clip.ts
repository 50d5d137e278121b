import { quotesBalanced } from './quotes';

const ELLIPSIS = '…';
/** Punctuation that would dangle before the ellipsis: "area, …". */
const DANGLING = new Set([...' ,;:([«"“„\'‘‒–—-']);
const OPENING_QUOTES = /[«"“„]/gu;

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
