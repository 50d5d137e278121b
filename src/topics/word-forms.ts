/**
 * A word's normal forms (see tokenize.ts for what they mean), cached by the word as written.
 *
 * News repeats its vocabulary, so most words are normalised once per process. The cache is read
 * straight from the text being tokenized: a word is hashed and compared where it stands, and the
 * cached entry's own string becomes the token's `raw`. Cutting every word out of the text to look
 * it up in a Map cost a string and a hash of it per word — a third of the tokenizer's time. The
 * cache is dropped when full rather than tracking recency.
 */
import { stem } from './stem';

export interface WordForms {
  /** The word as written, acronym dots removed. */
  raw: string;
  norm: string;
  key: string;
  caps: boolean;
  /**
   * What the matcher that last read this word files it under (doc-index.ts), kept on the word
   * so that a token costs the matcher no lookup; another matcher overwrites it.
   */
  filing: Filing | undefined;
}

export interface Filing {
  /** The LookedUp it was worked out for. */
  by: object;
  key: boolean;
  prefixes: readonly string[];
}

const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}/gu;
/**
 * Letters folded before diacritics are stripped: those that do not decompose (ı ł ø đ ß æ œ), the
 * Turkic and Slavic digraph letters spelled with two Latin letters in English (Aşgabat = Ashgabat,
 * Čolpon = Cholpon), and the Uzbek/Kazakh apostrophe letters (Oʻzbekiston = Ozbekiston).
 */
const FOLD: Record<string, string> = {
  ı: 'i',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ş: 'sh',
  š: 'sh',
  ç: 'ch',
  č: 'ch',
  ž: 'zh',
  ʻ: '',
  ʼ: '',
};
// ẞ (capital sharp s) lower-cases to ß, so it is folded too, or the norm would fold again later.
const FOLDABLE = /[ıłøđßẞæœşšçčžʻʼŁØĐÆŒŞŠÇČŽ]/g;

function fold(c: string): string {
  const lower = c.toLowerCase();
  const folded = FOLD[lower] ?? c;
  return c === lower ? folded : folded.toUpperCase();
}

/** Folds and strips diacritics but keeps case: `Aşgabat` → `Ashgabat`; `й` is kept. */
function stripDiacritics(word: string): string {
  if (!NON_ASCII.test(word)) return word;
  return (
    word
      .normalize('NFC')
      .replace(FOLDABLE, fold)
      .normalize('NFKD')
      .replace(/([иИ])\u0306/g, (_m, i: string) => (i === 'и' ? 'й' : 'Й'))
      .replace(MARKS, '')
      // Decomposition can expose a foldable letter (Ǽ → Æ + acute): fold again so norm is stable.
      .replace(FOLDABLE, fold)
  );
}

function isCaps(word: string): boolean {
  if (word.length < 2 || word === word.toLowerCase()) return false; // the common case, cheaply
  let letters = 0;
  for (const ch of word) {
    if (ch.toLowerCase() === ch.toUpperCase()) continue; // digits and caseless letters
    if (ch !== ch.toUpperCase()) return false;
    letters++;
  }
  return letters >= 2;
}

function formsOf(raw: string): WordForms {
  const plain = stripDiacritics(raw);
  const norm = plain.toLowerCase();
  return { raw, norm, key: stem(norm), caps: isCaps(plain), filing: undefined };
}

/** An open-addressing table, at most ~40 % full so probes stay short. */
const CAPACITY = 1 << 17;
const MASK = CAPACITY - 1;
const MAX_ENTRIES = 50_000;
const entries: Array<WordForms | undefined> = new Array(CAPACITY).fill(undefined);
const hashes = new Int32Array(CAPACITY);
let size = 0;

function sameWord(raw: string, text: string, start: number, end: number): boolean {
  if (raw.length !== end - start) return false;
  for (let i = 0; i < raw.length; i++)
    if (raw.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/** The normal forms of `text.slice(start, end)`, a word as written (no acronym dots). */
export function formsAt(text: string, start: number, end: number): WordForms {
  let h = 0x811c9dc5 | 0; // FNV-1a, as an int32 like the table
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  let slot = h & MASK;
  for (let e = entries[slot]; e !== undefined; e = entries[slot]) {
    if (hashes[slot] === h && sameWord(e.raw, text, start, end)) return e;
    slot = (slot + 1) & MASK;
  }
  if (size >= MAX_ENTRIES) {
    entries.fill(undefined);
    size = 0;
    slot = h & MASK;
  }
  const forms = formsOf(text.slice(start, end));
  entries[slot] = forms;
  hashes[slot] = h;
  size++;
  return forms;
}

/** The normal forms of one word as written (no acronym dots). */
export function wordForms(raw: string): WordForms {
  return formsAt(raw, 0, raw.length);
}
