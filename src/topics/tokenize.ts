/**
 * The one tokenizer: items, query terms, group entries (and the archive's text search) all go
 * through `tokenize`, so a word in a query and the same word in an item always normalise alike.
 *
 * - A token is a run of Unicode letters, marks and digits (Latin, Cyrillic, anything): punctuation,
 *   hyphens and apostrophes separate tokens (Counter-Terrorism → counter, terrorism).
 * - Dotted acronyms are one token: U.N. → UN, U.S. → US (single capitals joined by dots).
 * - A possessive 's / ’s is dropped (UN's → UN, Kazakhstan's → Kazakhstan).
 * - `norm` is NFKD with combining marks stripped, then lower case (Ní Aoláin = Ni Aolain, ё = е),
 *   after folding a few letters by hand (see FOLD: Aşgabat = Ashgabat). й stays й: its breve is
 *   part of the letter in Russian.
 * - `caps` marks a token whose letters are all capitals, at least two of them (UN, UNOCT, ООН): an
 *   all-caps query word matches only such tokens, so UN does not match the French article "un".
 * - `key` is the stemmed norm (see stem.ts): what the inverted index is keyed on.
 * - `pos` counts tokens across the whole document (title, then description, then text) and `field`
 *   says which part a token is in; NEAR only pairs tokens of the same field.
 * - `sent` and `para` count sentences and paragraphs across the document the same way, for
 *   NEAR/sentence and NEAR/paragraph. Each field starts a new paragraph; a blank line starts one
 *   (items' text separates paragraphs so); a line break, or . ! ? … followed by a word that does
 *   not start in lower case, starts a sentence — except a full stop after a common abbreviation
 *   (Mr., Gen., Oct., г., ул.). Dotted acronyms keep their dots (U.N.), so never end one. The gap
 *   between two words is usually one space, so this costs almost nothing per token.
 */
import type { Field, MatchDoc } from '../domain/match';
import { formsAt, type WordForms, wordForms } from './word-forms';
import { isLowerUnit, isWordUnit, unitsOf, wordEnd, wordStart } from './words';

export interface Token {
  /** The word as written, acronym dots removed: `UN`, `Туркменистаном`. */
  raw: string;
  norm: string;
  key: string;
  caps: boolean;
  pos: number;
  field: Field;
  /** Sentence and paragraph number, counted across the document like `pos`. */
  sent: number;
  para: number;
  /** Character offsets of the word in the tokenized string (end exclusive). */
  start: number;
  end: number;
}

/**
 * Abbreviations (norms) that a full stop follows inside a sentence. Kept short: a missed
 * abbreviation only makes NEAR/sentence stricter there.
 */
const ABBREVIATIONS = new Set(
  `mr mrs ms dr st no gen gov col lt sgt prof jan feb mar apr jun jul aug sep sept oct nov dec
  approx vs etc inc ltd corp г гг ул т д им млн млрд тыс руб др пр см ст`.split(/\s+/),
);

/** What separates two words: nothing, a sentence end, a paragraph end. */
const Break = { None: 0, Sentence: 1, Paragraph: 2 } as const;
type Break = (typeof Break)[keyof typeof Break];

/** What separates the word ending at `from` (norm `before`) and the word starting at `to`. */
function breakBetween(units: Uint16Array, from: number, to: number, before: string): Break {
  let newlines = 0;
  let stop = false;
  let fullStop = false;
  for (let i = from; i < to; i++) {
    const c = units[i];
    if (c === 10) newlines++;
    else if (c === 46)
      fullStop = stop = true; // .
    else if (c === 33 || c === 63 || c === 0x2026) stop = true; // ! ? …
  }
  if (newlines >= 2) return Break.Paragraph;
  if (newlines === 1) return Break.Sentence;
  if (!stop || isLowerUnit(units, to)) return Break.None;
  return fullStop && ABBREVIATIONS.has(before) ? Break.None : Break.Sentence;
}

/** Sees each token as it is made, with its word's (cached, shared) normal forms. */
export type TokenWatcher = (token: Token, forms: WordForms) => void;

/** Appends the tokens of `text` to `out`, positions, sentences and paragraphs continuing. */
function tokenizeInto(out: Token[], text: string, field: Field, watch?: TokenWatcher): Token[] {
  const last = out.at(-1);
  let sent = last ? last.sent + 1 : 0;
  let para = last ? last.para + 1 : 0;
  let prev: Token | undefined;
  const units = unitsOf(text);
  for (let start = wordStart(units, 0); start < units.length; ) {
    const end = wordEnd(units, start);
    // Only a dotted acronym holds a dot: U.N. (or 𝐔.𝐍., whose first capital takes two units).
    const dotted = end - start > 2 && (units[start + 1] === 46 || units[start + 2] === 46);
    const forms = dotted
      ? wordForms(text.slice(start, end).replace(/\./g, ''))
      : formsAt(units, start, end, text);
    const { raw, norm, key, caps } = forms;
    let next = end;
    // A lone combining mark (after a symbol) is not a word.
    if (norm !== '') {
      if (prev) {
        const oneSpace = prev.end + 1 === start && units[prev.end] === 32;
        const gap = oneSpace ? Break.None : breakBetween(units, prev.end, start, prev.norm);
        if (gap === Break.Paragraph) para++;
        if (gap !== Break.None) sent++;
      }
      prev = { raw, norm, key, caps, pos: out.length, field, start, end, sent, para };
      out.push(prev);
      watch?.(prev, forms);
      if (isPossessive(units, end)) next = end + 2;
    }
    start = wordStart(units, next);
  }
  return out;
}

/** `'s` or `’s` ending a word at `at`. */
function isPossessive(units: Uint16Array, at: number): boolean {
  // Never read past the end: undefined there sends every inlined read to a slow path.
  if (at + 1 >= units.length) return false;
  const q = units[at];
  if (q !== 39 && q !== 0x2019) return false; // ' ’
  const s = units[at + 1];
  return (s === 115 || s === 83) && !isWordUnit(units, at + 2); // s S
}

export function tokenize(text: string, field: Field = 'text'): Token[] {
  return tokenizeInto([], text, field);
}

/**
 * All tokens of a document, as `tokenizeDoc` makes them. The matcher makes them for every new item
 * and hands them on with its matches (compile.ts `read`), so the stages after it that read the
 * same words (the archive's word index, the story's headline) take them rather than tokenize the
 * item again.
 */
export type DocTokens = readonly Token[];

/** The tokens of one field of a document, in order (the same words `tokenize` finds in it). */
export function fieldTokens(tokens: DocTokens, field: Field): Token[] {
  const from = tokens.findIndex((t) => t.field === field);
  if (from === -1) return [];
  let to = from;
  while (to < tokens.length && tokens[to]!.field === field) to++;
  return tokens.slice(from, to);
}

/** All tokens of a document, title first, then description, then text, positions continuing. */
export function tokenizeDoc(doc: MatchDoc, watch?: TokenWatcher): Token[] {
  const tokens: Token[] = [];
  tokenizeInto(tokens, doc.title, 'title', watch);
  tokenizeInto(tokens, doc.description, 'description', watch);
  return tokenizeInto(tokens, doc.text, 'text', watch);
}
