/**
 * Sentence splitting for news prose in English and Russian.
 *
 * A paragraph break (a blank line) always ends a sentence. Inside a paragraph a sentence ends at a
 * run of `.`, `!`, `?` or `…`, plus any closing quotes or brackets, that is followed by a space —
 * unless the next word starts in lower case (`"Why?" he asked`, `т.е. в`), or the full stop
 * belongs to an abbreviation, an initial or a dotted acronym. Abbreviations fall into classes by
 * how often they end a sentence in news copy (see `ABBREVIATIONS`).
 *
 * One pass over the text; every look-around is bounded, so the time is linear.
 */

import { ABBREVIATIONS, type Kind, STARTERS } from './abbreviations';
import { quoteEnds } from './quotes';

// By character code: a Set of one-character strings costs a string per character read.
/** `.` `!` `?` `…` */
const isTerminator = (c: number) => c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026;
/** `"` `'` `”` `’` `»` `)` `]` `}` */
const isCloser = (c: number) =>
  c === 0x22 ||
  c === 0x27 ||
  c === 0x201d ||
  c === 0x2019 ||
  c === 0xbb ||
  c === 0x29 ||
  c === 0x5d ||
  c === 0x7d;
/** `"` `'` `“` `‘` `«` `„` `(` `[` */
const isOpener = (c: number) =>
  c === 0x22 ||
  c === 0x27 ||
  c === 0x201c ||
  c === 0x2018 ||
  c === 0xab ||
  c === 0x201e ||
  c === 0x28 ||
  c === 0x5b;
const SPACE = 0x20;
/** Longer than any abbreviation; bounds the look-behind and look-ahead. */
const WORD_WINDOW = 24;

/**
 * The text's sentences in order; with `limit`, only the first `limit` of them (the same as
 * `.slice(0, limit)` of all, without splitting the rest).
 */
export function splitSentences(text: string, limit = Number.POSITIVE_INFINITY): string[] {
  const sentences: string[] = [];
  for (const paragraph of paragraphsOf(text)) {
    if (sentences.length >= limit) break;
    splitParagraph(paragraph, sentences, limit);
  }
  return sentences;
}

/** Paragraphs separated by blank lines, each with its whitespace collapsed to single spaces. */
function paragraphsOf(text: string): string[] {
  const paragraphs: string[] = [];
  let lines: string[] = [];
  const flush = () => {
    const paragraph = lines.join(' ').replace(/\s+/g, ' ').trim();
    if (paragraph) paragraphs.push(paragraph);
    lines = [];
  };
  for (const line of text.split(/\r\n?|\n/)) {
    if (line.trim() === '') flush();
    else lines.push(line);
  }
  flush();
  return paragraphs;
}

function splitParagraph(p: string, out: string[], limit: number): void {
  // A quotation of several sentences stays one: "We agreed. Talks go on," he said. (Most
  // paragraphs open none: then nothing is quoted, and the scan is not needed.)
  const quoted = opensQuote(p) ? quoteEnds(p) : undefined;
  let start = 0;
  let i = 0;
  while (i < p.length) {
    if (!isTerminator(p.charCodeAt(i))) {
      i++;
      continue;
    }
    let runEnd = i + 1;
    while (runEnd < p.length && isTerminator(p.charCodeAt(runEnd))) runEnd++;
    let end = runEnd;
    while (end < p.length && isCloser(p.charCodeAt(end))) end++;
    // "3.5", "U.N.", "said.\"Then": no space, no boundary.
    if (end < p.length && p.charCodeAt(end) !== SPACE) {
      i = end;
      continue;
    }
    const inQuote = quoted !== undefined && quoted[end]! > end;
    if (end >= p.length || (!inQuote && endsSentence(p, start, i, runEnd, end))) {
      out.push(p.slice(start, end).trim());
      if (out.length >= limit) return;
      start = end + 1;
    }
    i = end;
  }
  const rest = p.slice(start).trim();
  if (rest) out.push(rest);
}

/** Whether the paragraph holds a mark that may open a quotation (see quotes.ts): `"` `“` `«` `„`. */
function opensQuote(p: string): boolean {
  return p.includes('"') || p.includes('“') || p.includes('«') || p.includes('„');
}

/**
 * Whether the terminator run p[dot, runEnd), followed by closers up to `end` and then a space,
 * ends the sentence that began at `start`.
 */
function endsSentence(p: string, start: number, dot: number, runEnd: number, end: number): boolean {
  const next = wordAt(p, end + 1);
  const first = next.charAt(0);
  if (first && isLower(first)) return false;
  // "!", "?", "...", or a quotation closed after the full stop: the writer meant the end.
  if (runEnd - dot > 1 || p.charAt(dot) !== '.' || end > runEnd) return true;

  const tokenStart = Math.max(start, p.lastIndexOf(' ', dot - 1) + 1, dot - WORD_WINDOW);
  const token = stripOpeners(p.slice(tokenStart, dot));
  if (!token) return true;
  // "1. First point": a list number at the paragraph's start.
  if (tokenStart === start && /^\d{1,2}$/.test(token)) return false;

  const lower = token.toLowerCase();
  const kind =
    lower === 'г' || lower === 'гг' ? yearOrCity(p, start, tokenStart) : ABBREVIATIONS.get(lower);
  switch (kind) {
    case 'continues':
      return false;
    case 'final':
      return !/^\d/.test(next);
    case 'starter':
      return STARTERS.has(next.toLowerCase());
    case undefined:
      break;
  }
  // "J. Smith", "В. В. Путин", "U.N. Security Council", but "vitamin C. The …".
  const initial = token.length === 1 && !isLower(token);
  if (initial || /^(?:\p{L}\.)+\p{L}$/u.test(token)) {
    return !/^\p{Lu}\./u.test(next) && STARTERS.has(next.toLowerCase());
  }
  return true;
}

/** "в 2020 г." is a year and may end a sentence; "г. Москва" is a city and never does. */
function yearOrCity(p: string, start: number, tokenStart: number): Kind {
  const before = p.slice(
    Math.max(start, tokenStart - WORD_WINDOW),
    Math.max(start, tokenStart - 1),
  );
  return /\d$/.test(before) ? 'starter' : 'continues';
}

/** The word that starts at `from` (after opening quotes), up to the next space or a window's length. */
function wordAt(p: string, from: number): string {
  const space = p.indexOf(' ', from);
  const stop = Math.min(space < 0 ? p.length : space, from + WORD_WINDOW);
  const word = stripOpeners(p.slice(from, stop));
  // Trailing punctuation does not change which word it is: "He," is still "he".
  return word.replace(/[,;:!?]+$/u, '');
}

function stripOpeners(word: string): string {
  let i = 0;
  while (i < word.length && isOpener(word.charCodeAt(i))) i++;
  return word.slice(i);
}

function isLower(ch: string): boolean {
  return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}
