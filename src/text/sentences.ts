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

const TERMINATORS = new Set(['.', '!', '?', '…']);
const CLOSERS = new Set(['"', "'", '”', '’', '»', ')', ']', '}']);
const OPENERS = new Set(['"', "'", '“', '‘', '«', '„', '(', '[']);
/** Longer than any abbreviation; bounds the look-behind and look-ahead. */
const WORD_WINDOW = 24;

export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of paragraphsOf(text)) splitParagraph(paragraph, sentences);
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

function splitParagraph(p: string, out: string[]): void {
  // A quotation of several sentences stays one: "We agreed. Talks go on," he said.
  const quoted = quoteEnds(p);
  let start = 0;
  let i = 0;
  while (i < p.length) {
    if (!TERMINATORS.has(p.charAt(i))) {
      i++;
      continue;
    }
    let runEnd = i + 1;
    while (runEnd < p.length && TERMINATORS.has(p.charAt(runEnd))) runEnd++;
    let end = runEnd;
    while (end < p.length && CLOSERS.has(p.charAt(end))) end++;
    // "3.5", "U.N.", "said.\"Then": no space, no boundary.
    if (end < p.length && p.charAt(end) !== ' ') {
      i = end;
      continue;
    }
    if (end >= p.length || (quoted[end]! <= end && endsSentence(p, start, i, runEnd, end))) {
      out.push(p.slice(start, end).trim());
      start = end + 1;
    }
    i = end;
  }
  const rest = p.slice(start).trim();
  if (rest) out.push(rest);
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
  while (i < word.length && OPENERS.has(word.charAt(i))) i++;
  return word.slice(i);
}

function isLower(ch: string): boolean {
  return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}
