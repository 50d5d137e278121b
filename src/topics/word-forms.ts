/**
 * A word's normal forms (see tokenize.ts for what they mean), cached by the word as written.
 *
 * News repeats its vocabulary, so most words are normalised once per process. The cache is read
 * straight from the text being tokenized: a word is hashed and compared where it stands, and the
 * cached entry's own string becomes the token's `raw`. Cutting every word out of the text to look
 * it up in a Map cost a string and a hash of it per word — a third of the tokenizer's time. The
 * cache is dropped when full rather than tracking recency.
 */
import { randomInt } from 'node:crypto';
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

/**
 * An open-addressing table kept at most half full. It grows with the vocabulary rather than
 * being allocated at its largest: a sparse table costs a cache miss per word, and the matcher
 * runs between the parser and the store, which leave little of the cache to it. Each entry's
 * word is also kept as code units, in one array (`spelled`), so that a word is compared where it
 * stands in the text's units without reading a string.
 */
const MIN_CAPACITY = 1 << 12;
const MAX_ENTRIES = 50_000;
let entries: Array<WordForms | undefined> = [];
let hashes = new Int32Array(0);
/** Where each entry's word starts in `spelled`. */
let spelledAt = new Int32Array(0);
let spelled = new Uint16Array(1 << 15);
let spelledLength = 0;
let size = 0;
empty(MIN_CAPACITY);

function empty(capacity: number): void {
  entries = new Array(capacity).fill(undefined);
  hashes = new Int32Array(capacity);
  spelledAt = new Int32Array(capacity);
  size = 0;
}

function insert(forms: WordForms, h: number, at: number): void {
  const mask = entries.length - 1;
  let slot = h & mask;
  while (entries[slot] !== undefined) slot = (slot + 1) & mask;
  entries[slot] = forms;
  hashes[slot] = h;
  spelledAt[slot] = at;
  size++;
}

function grow(): void {
  const [oldEntries, oldHashes, oldAt] = [entries, hashes, spelledAt];
  empty(entries.length * 2);
  oldEntries.forEach((forms, slot) => {
    if (forms) insert(forms, oldHashes[slot] as number, oldAt[slot] as number);
  });
}

/** Keeps the units of a new entry's word; returns where they start. */
function spell(units: Uint16Array, start: number, end: number): number {
  if (spelledLength + end - start > spelled.length) {
    const more = new Uint16Array(Math.max(spelled.length * 2, spelledLength + end - start));
    more.set(spelled.subarray(0, spelledLength));
    spelled = more;
  }
  spelled.set(units.subarray(start, end), spelledLength);
  spelledLength += end - start;
  return spelledLength - (end - start);
}

function sameWord(slot: number, length: number, units: Uint16Array, start: number): boolean {
  if ((entries[slot] as WordForms).raw.length !== length) return false;
  const at = spelledAt[slot] as number;
  for (let i = 0; i < length; i++) if (spelled[at + i] !== units[start + i]) return false;
  return true;
}

/**
 * The table's hash is keyed per process, so that a feed cannot be written to collide it: words
 * that share a slot would turn each lookup into a scan of their run. FNV-1a from a fixed basis
 * could be collided by a search done once; and whatever its basis, FNV's low bits depend only on
 * the low bits of the characters (words of `a` and `聡`, U+8061, shared every slot of a table of
 * up to 32,768), so its bits are mixed (MurmurHash3's finaliser) before the table takes its slot
 * from the low ones.
 */
const BASIS = randomInt(2 ** 32) | 0;

/** The keyed hash of the word `units[start..end)`, as an int32 like the table. */
export function wordHash(units: Uint16Array, start: number, end: number): number {
  let h = BASIS;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (units[i] as number), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The normal forms of the word at `start..end` (no acronym dots) of a text, read from its units
 * (words.ts `unitsOf`); `text` is cut only for a word not seen before.
 */
export function formsAt(units: Uint16Array, start: number, end: number, text: string): WordForms {
  const h = wordHash(units, start, end);
  const mask = entries.length - 1;
  for (let slot = h & mask, e = entries[slot]; e !== undefined; e = entries[slot]) {
    if (hashes[slot] === h && sameWord(slot, end - start, units, start)) return e;
    slot = (slot + 1) & mask;
  }
  if (size >= MAX_ENTRIES) {
    empty(MIN_CAPACITY);
    spelledLength = 0;
  } else if ((size + 1) * 2 > entries.length) grow();
  const forms = formsOf(text.slice(start, end));
  insert(forms, h, spell(units, start, end));
  return forms;
}

/** The normal forms of one word as written (no acronym dots). */
export function wordForms(raw: string): WordForms {
  // Its own units: the shared buffer may hold the text being tokenized.
  const units = new Uint16Array(raw.length);
  for (let i = 0; i < raw.length; i++) units[i] = raw.charCodeAt(i);
  return formsAt(units, 0, raw.length, raw);
}
