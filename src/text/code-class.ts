/**
 * A Unicode property of a character, tested by its code and remembered per UTF-16 code unit (as
 * src/topics/words.ts classifies word characters): a property regex such as `\p{N}` costs tens of
 * nanoseconds a call, and the story terms asked several per word of every headline and lead. The
 * answers are the regex's own, learnt on first sight of each code unit; a character beyond the
 * BMP (a surrogate pair, or a lone half) is asked of the regex each time.
 */
const UNKNOWN = 0;
const NO = 1;
const YES = 2;

export interface CodeClass {
  /** Whether the character of this code, not a surrogate half, has the property. */
  unit(code: number): boolean;
  /** Whether the text's first character has the property (false for an empty text). */
  first(text: string): boolean;
  /** Whether any character of the text has it. */
  any(text: string): boolean;
}

const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;

/** `property` matches one whole character: `/^\p{N}$/u`. */
export function codeClass(property: RegExp): CodeClass {
  const known = new Uint8Array(0x10000);
  const unit = (code: number): boolean => {
    let k = known[code]!;
    if (k === UNKNOWN) known[code] = k = property.test(String.fromCharCode(code)) ? YES : NO;
    return k === YES;
  };
  /** Whether the character at `i` has the property, and its width: `yes * 4 + width`. */
  const at = (text: string, i: number): number => {
    const code = text.charCodeAt(i);
    if (!isSurrogate(code)) return (unit(code) ? 4 : 0) + 1;
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    return (property.test(ch) ? 4 : 0) + ch.length;
  };
  return {
    unit,
    first: (text) => text.length > 0 && at(text, 0) >= 4,
    any(text) {
      for (let i = 0; i < text.length; ) {
        const r = at(text, i);
        if (r >= 4) return true;
        i += r;
      }
      return false;
    },
  };
}

/** Upper-case letters (Lu). */
export const UPPER_CASE = codeClass(/^\p{Lu}$/u);
/** Letters of any case or script (L). */
export const LETTER = codeClass(/^\p{L}$/u);
/** Digits and other numbers (N). */
export const NUMERIC = codeClass(/^\p{N}$/u);
