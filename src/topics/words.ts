/**
 * Where the words of a text are: a word is a run of Unicode letters, marks and digits, or a dotted
 * acronym (U.N., U.S.) — capitals joined by dots, with an optional final dot, not followed by a
 * letter, mark or digit. Exactly what the pattern
 *
 *   \p{Lu}(?:\.\p{Lu})+\.?(?![\p{L}\p{M}\p{N}])|[\p{L}\p{M}\p{N}]+   (flag u)
 *
 * finds, backtracking included (U.S.Ab is the acronym U.S, then Ab), but read by character code.
 * That pattern was most of the tokenizer's time (Unicode property classes cost about 40 ns a
 * character); a table lookup costs a few. The table is filled from the same property classes, so
 * it agrees with them on every character, and no list of ranges has to be kept in step with
 * Unicode.
 */

/**
 * A text's UTF-16 code units, which the scans below read: copied into a buffer kept for the next
 * call (one native copy), so that a read is a typed-array load. Read from the string instead,
 * `text.charCodeAt(i)` looked the method up on the string's hidden class, and texts come in more
 * of those (flat, sliced or concatenated, one or two bytes a character) than V8 keeps a fast
 * lookup for: every character could become a generic call, and scanning was a third of the
 * tokenizer's time. The view is valid until the next call.
 *
 * Reads stay within the view: past its end a read gives undefined, and one such read (a text
 * ending in a lone capital, "Plan B", read as a possible acronym) made V8 recompile every inlined
 * read for it (with strings: matching then took 1.7 times as long for the rest of the process).
 */
let buffer = Buffer.alloc(0);

export function unitsOf(text: string): Uint16Array {
  if (buffer.length < text.length * 2) buffer = Buffer.alloc(Math.max(1 << 14, text.length * 4));
  const bytes = buffer.write(text, 0, 'utf16le');
  return new Uint16Array(buffer.buffer, buffer.byteOffset, bytes / 2);
}

const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
const UPPER = /^\p{Lu}$/u;

const LOWER_CASE = /^\p{Ll}$/u;

const OTHER = 1;
const WORD = 2;
/** A word character that is an upper-case letter (Lu). */
const CAPITAL = 3;
/** A word character that is a lower-case letter (Ll). */
const SMALL = 4;

/**
 * Class by UTF-16 code unit; surrogate halves are OTHER, as a lone one is to the pattern. Filled
 * whole on first use (some 20 ms of property tests, which a process that never tokenizes does not
 * pay): with each unit learnt on first sight instead, the check for a blank entry kept the scans
 * from being one lookup per character, and they cost a third more.
 */
const UNIT_CLASS = new Uint8Array(0x10000);
let filled = false;
/** Classes of code points beyond the BMP (rare: a few per document at most). */
const ASTRAL_CLASS = new Map<number, number>();

function classify(ch: string): number {
  if (UPPER.test(ch)) return CAPITAL;
  if (LOWER_CASE.test(ch)) return SMALL;
  return WORD_CHAR.test(ch) ? WORD : OTHER;
}

function fill(): void {
  for (let code = 0; code < 0x10000; code++) UNIT_CLASS[code] = classify(String.fromCharCode(code));
  filled = true;
}

function unitClass(code: number): number {
  if (!filled) fill();
  return UNIT_CLASS[code] as number;
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The class of the code point at `at`, and its width in code units: `class * 4 + width`, so that
 * the scan allocates nothing. 0 past the end.
 */
function pointAt(units: Uint16Array, at: number): number {
  if (at >= units.length) return 0;
  const code = units[at]!;
  if (!isHigh(code)) return unitClass(code) * 4 + 1;
  const low = at + 1 < units.length ? units[at + 1]! : 0;
  if (!isLow(low)) return OTHER * 4 + 1;
  const point = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  let c = ASTRAL_CLASS.get(point);
  if (c === undefined) {
    c = classify(String.fromCodePoint(point));
    ASTRAL_CLASS.set(point, c);
  }
  return c * 4 + 2;
}

const classOf = (point: number) => point >> 2;
const widthOf = (point: number) => point & 3;
const isWordPoint = (point: number) => point >> 2 >= WORD;

/** Whether the code unit at `at` (alone) is a letter, mark or digit; false past the end. */
export function isWordUnit(units: Uint16Array, at: number): boolean {
  return at < units.length && unitClass(units[at]!) >= WORD;
}

/** Whether the code unit at `at` (alone) is a lower-case letter; false past the end. */
export function isLowerUnit(units: Uint16Array, at: number): boolean {
  return at < units.length && unitClass(units[at]!) === SMALL;
}

/** Index of the first word character at or after `from`; `units.length` when there is none. */
export function wordStart(units: Uint16Array, from: number): number {
  if (!filled) fill();
  const n = units.length;
  for (let i = from; i < n; i++) {
    const code = units[i]!;
    if ((UNIT_CLASS[code] as number) >= WORD) return i;
    // Surrogate halves are OTHER in the table: only then is the pair looked at.
    if (isHigh(code)) {
      const point = pointAt(units, i);
      if (isWordPoint(point)) return i;
      i += widthOf(point) - 1;
    }
  }
  return n;
}

/** End (exclusive) of the word that starts at `start`, which must be a word character. */
export function wordEnd(units: Uint16Array, start: number): number {
  const first = pointAt(units, start);
  if (classOf(first) === CAPITAL) {
    const end = acronymEnd(units, start + widthOf(first));
    if (end !== -1) return end;
  }
  const n = units.length;
  for (let i = start + widthOf(first); i < n; i++) {
    const code = units[i]!;
    if ((UNIT_CLASS[code] as number) >= WORD) continue;
    if (!isHigh(code)) return i;
    const point = pointAt(units, i);
    if (!isWordPoint(point)) return i;
    i += widthOf(point) - 1;
  }
  return n;
}

/**
 * End of the dotted acronym whose first capital ends at `after`, or -1 when there is none. The
 * pattern's repetition is greedy and gives back one `.X` at a time: with k pairs `.X` matched,
 * a final dot is taken when no word character follows it, else the acronym ends after the k-th
 * capital when no word character follows that. With fewer than all pairs, what follows is the
 * next pair's dot, so the acronym always ends there.
 */
function acronymEnd(units: Uint16Array, after: number): number {
  let last = -1; // end of the last `.X` pair
  let previous = -1; // end of the pair before it
  let i = after;
  while (i < units.length && units[i] === 46) {
    const next = pointAt(units, i + 1);
    if (classOf(next) !== CAPITAL) break;
    previous = last;
    last = i + 1 + widthOf(next);
    i = last;
  }
  if (last === -1) return -1;
  if (last < units.length && units[last] === 46 && !isWordPoint(pointAt(units, last + 1)))
    return last + 1;
  if (!isWordPoint(pointAt(units, last))) return last;
  return previous;
}
