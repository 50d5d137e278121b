/**
 * Removes the datelines, bylines and credits that agencies put before the first sentence:
 *
 *   BAKU, Azerbaijan, Oct. 15            МОСКВА, 15 окт — РИА Новости.
 *   By Farida Nuri - Trend:              АСТАНА. КАЗИНФОРМ -
 *   ASTANA, Oct 15 (Reuters) -           Ashgabat, 15 October (TDH).
 *   ALMATY, Kazakhstan (AP) —            WASHINGTON —
 *   ASTANA, December 3. /TASS/.          Бишкек, 03.12.2026 /Кабар/.
 *   DUSHANBE, May 4, 2026, Asia-Plus --  Алматы. 3 декабря. INTERFAX.RU -
 *   4 December 2026. Ashgabat.           24.KG 03/12/26 -      AKIPRESS.COM -
 *   ANKARA (a line of its own)           Photo 24.kg.          Астана, 3 декабря 2026, 12:45 — ИА Регнум.
 *
 * Only at the start of the text: each round removes one element there, and a run of them (a
 * dateline paragraph, then a byline paragraph) takes a few rounds. A headline or a subtitle
 * (a paragraph without a final stop) before a dateline goes with it. The patterns are strict on
 * purpose — a lead that begins "Kazakhstan signed" or "UN chief warns" must survive — so a place
 * alone is a dateline only when written in capitals, or when a date or an agency follows it.
 */

import { LETTER, UPPER_CASE } from './code-class';

const DASH = '(?:--|[-‒–—―])';
/** Ends a match at a space, a line's end or the text's end, never inside a word. */
const BOUNDARY = String.raw`(?=\s|$)`;
const LINE_END = String.raw`(?=[^\S\n]*(?:\n|$))`;

const CAPS_WORD = String.raw`\p{Lu}{2,30}(?:[-'’]\p{Lu}{1,30})*`;
// Three capitals at least, so that "UN chief warns…" is never read as a city.
const CAPS_PLACE = String.raw`\p{Lu}{3,30}(?:[-'’]\p{Lu}{1,30})*(?: ${CAPS_WORD}){0,3}`;
const TITLE_WORD = String.raw`\p{Lu}\p{Ll}{1,30}(?:-\p{Lu}?\p{Ll}{1,30})*`;
const TITLE_PLACE = `${TITLE_WORD}(?: ${TITLE_WORD}){0,2}`;
/** Before a date or an agency a place may be short ("ОШ (АКИpress)") or two ("DUBAI/ALMATY"). */
const DATED_PLACE = `${CAPS_WORD}(?: ${CAPS_WORD}){0,3}(?:/${CAPS_WORD})?|${TITLE_PLACE}`;
const REGIONS = String.raw`(?:, (?:${TITLE_PLACE}|${CAPS_WORD}|(?:\p{Lu}\.){2,})){0,2}`;

const EN_MONTH = String.raw`(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?`;
const RU_MONTH = String.raw`(?:янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек)\p{Ll}*\.?`;
const MONTH = `(?:${EN_MONTH}|${RU_MONTH})`;
/** A year, and the time some agencies add after it: "3 декабря 2026, 12:45". */
const YEAR = String.raw`(?:,? \d{4}(?: г\.)?(?:,? \d{1,2}:\d{2})?)?`;
const NUMERIC_DATE = String.raw`\d{1,2}\.\d{1,2}\.\d{4}`;
const DATE = String.raw`(?:${MONTH} ?\d{1,2}${YEAR}|\d{1,2} ${MONTH}${YEAR}|${NUMERIC_DATE})`;
/** "(Reuters)", "/TASS/", "/ Kabar /", "/АМИТ «Ховар»/". */
const AGENCY = String.raw`(?:\([^()\n]{1,40}\)|/[^/\n]{1,40}/)`;
/** "INTERFAX.RU", "AKIPRESS.COM", "24.KG". */
const SITE = String.raw`(?:[\p{L}\d-]{2,30}\.)+\p{L}{2,6}`;
/** "Asia-Plus", "КазТАГ" after a date: an agency's name without brackets, always before a dash. */
const AGENCY_NAME = String.raw`\p{Lu}[\p{L}-]{1,30}(?: \p{Lu}[\p{L}-]{1,30})?`;

/**
 * "— РИА Новости." or "— Интерфакс." after a dash: one word, or words led by an acronym, closed by
 * a full stop — not a title or "No." that opens the lead. Anything else after the dash
 * ("WASHINGTON — The Senate.") is the first sentence.
 */
const AGENCY_AFTER_DASH = String.raw`(?: (?!(?:No|St|Mr|Mrs|Ms|Dr|Gov|Sen|Gen|Rep|Col|Prof)\.)(?:\p{Lu}\p{L}{1,30}|\p{Lu}{2,10}(?: \p{Lu}\p{L}{1,30}){1,2})\.${BOUNDARY})?`;
const DASH_END = String.raw`[^\S\n]*${DASH}${BOUNDARY}${AGENCY_AFTER_DASH}`;

const NAME_WORD = String.raw`\p{Lu}[\p{L}'’.-]{0,30}`;
const NAME = `${NAME_WORD}(?: (?:and |& )?${NAME_WORD}){0,4}`;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;

/**
 * Spaces a place, its regions and the separator before a date or an agency hold at most: a place
 * of four words in capitals (3), two regions of three title-case words (", A B C": 3 each), the
 * space before the date (1) and the one after its month (1).
 */
const MAX_SPACES_BEFORE_DATE = 3 + 3 + 3 + 1 + 1;

/** The end of the word starting at `from`: the next space or line break. */
function wordEndAt(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) !== 0x20 && text.charCodeAt(i) !== 0x0a) i++;
  return i;
}

/**
 * Whether a place with a date or an agency may start the text. Such a dateline is words that
 * start with a capital, one space apart, then a date (which has a digit; a Russian month before
 * its day is in lower case) or a bracketed agency, all within a few spaces on the first line; no
 * other digit or bracket is in it. So: every word before the first digit, `(` or `/` starts with a
 * capital, but for one directly before a digit.
 */
function mayBeDated(text: string): boolean {
  let spaces = 0;
  for (let i = 0; i < text.length; ) {
    const end = wordEndAt(text, i);
    for (let j = i; j < end; j++) {
      const c = text.charCodeAt(j);
      if (isDigit(c) || c === 0x28 || c === 0x2f) return true;
    }
    const first = text.charCodeAt(i);
    if (!isCapital(first))
      return text.charCodeAt(end) === 0x20 && isDigit(text.charCodeAt(end + 1));
    if (text.charCodeAt(end) !== 0x20 || ++spaces > MAX_SPACES_BEFORE_DATE) return false;
    i = end + 1;
  }
  return false;
}

const isDash = (c: number) => c === 0x2d || (c >= 0x2012 && c <= 0x2015);
const isCapital = (c: number) => isSurrogate(c) || UPPER_CASE.unit(c);

/**
 * Whether a place in capitals alone may start the text: three capitals at least, then a comma, a
 * full stop, a dash, a hyphen or an apostrophe (ABU-DHABI), the line's end, or spaces followed by
 * another word in capitals, a dash or the line's end ("ООН заявила" is a sentence).
 */
function mayBeCapsPlace(text: string): boolean {
  for (let i = 0; i < 3; i++) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c)) return false;
    if (isSurrogate(c)) return true;
    if (!UPPER_CASE.unit(c)) return false;
  }
  let i = 3;
  while (i < text.length && isCapital(text.charCodeAt(i))) i++;
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  // A comma, a stop, the line's end, a dash, or a hyphen or apostrophe within the word.
  if (c === 0x2c || c === 0x2e || c === 0x0a || isDash(c) || c === 0x27 || c === 0x2019)
    return true;
  if (!/\s/.test(text.charAt(i))) return false;
  let j = i;
  while (j < text.length && text.charCodeAt(j) !== 0x0a && /\s/.test(text.charAt(j))) j++;
  if (j >= text.length) return true;
  const next = text.charCodeAt(j);
  return next === 0x0a || isDash(next) || isCapital(next);
}

/** Whether a site's name may start the text: 2–30 letters, digits or hyphens, then a dot. */
function mayBeSite(text: string): boolean {
  for (let i = 0; i < text.length && i <= 30; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) return i >= 2;
    if (isSurrogate(c)) return true;
    if (!(c === 0x2d || isDigit(c) || LETTER.unit(c))) return false;
  }
  return false;
}

/**
 * The patterns, each with a test of the text's first characters that it cannot match without.
 * The patterns' Unicode classes make them costly to run, and V8 compiles them again after
 * garbage collections (a first call then costs tens of microseconds); most leads start "Officials
 * said…", which no test lets through, so no pattern runs on them.
 */
export const LEAD_RULES: ReadonlyArray<{ pattern: RegExp; may: (text: string) => boolean }> = [
  // A place with a date or an agency: "BAKU, Azerbaijan, Oct. 15", "ASTANA (Reuters) -",
  // "ASTANA, December 3. /TASS/.", "DUSHANBE, May 4, 2026, Asia-Plus --", "Алматы. 3 декабря. INTERFAX.RU -".
  {
    may: mayBeDated,
    pattern: new RegExp(
      `^(?:${DATED_PLACE})${REGIONS}(?:[,.]? ${DATE}(?:\\.? ?${AGENCY}|, ${AGENCY_NAME}(?=${DASH_END})|\\. (?:${SITE}|${AGENCY_NAME})(?=${DASH_END}))?| ?${AGENCY})(?:${DASH_END}|[.:]${BOUNDARY}|${LINE_END})`,
      'u',
    ),
  },
  // A place in capitals alone: "WASHINGTON —", "BAKU, Azerbaijan" or "ANKARA" on its own line,
  // or "АСТАНА." when an agency or a byline follows.
  {
    may: mayBeCapsPlace,
    pattern: new RegExp(
      `^${CAPS_PLACE}(?:${REGIONS}${DASH_END}|(?:, ${TITLE_PLACE}){0,2}${LINE_END}|\\.(?= (?:${CAPS_WORD}[^\\S\\n]*${DASH}\\s|By )))`,
      'u',
    ),
  },
  // "By Farida Nuri - Trend:", "By Jane Doe, Reuters" on its own line, "By Trend:".
  {
    may: (t) => t.startsWith('By ') || t.startsWith('BY '),
    pattern: new RegExp(
      `^(?:By|BY) ${NAME}(?:[^\\S\\n]*(?:,|${DASH})[^\\S\\n]*${NAME})?(?:[^\\S\\n]*:${BOUNDARY}|${LINE_END})`,
      'u',
    ),
  },
  // "(Reuters) -", "(TDH)."
  {
    may: (t) => t.startsWith('(') || t.startsWith('/'),
    pattern: new RegExp(`^${AGENCY}(?:${DASH_END}|[.:]${BOUNDARY})`, 'u'),
  },
  // The date first: "4 December 2026. Ashgabat.", "3 декабря 2026. Ашхабад."
  {
    may: (t) => isDigit(t.charCodeAt(0)),
    pattern: new RegExp(`^\\d{1,2} ${MONTH} \\d{4}(?: г\\.)?\\. ${TITLE_PLACE}\\.${BOUNDARY}`, 'u'),
  },
  // A site's name: "AKIPRESS.COM -", "24.KG 03/12/26 -".
  {
    may: mayBeSite,
    pattern: new RegExp(`^${SITE}(?: \\d{1,2}/\\d{1,2}/\\d{2,4})?${DASH_END}`, 'u'),
  },
  // A photo credit run into the lead: "Photo 24.kg. Bishkek city hall…", "Photo from open sources."
  {
    may: (t) => t.startsWith('Photo') || t.startsWith('Фото'),
    pattern:
      /^(?:Photo|Фото)(?::? ?\S{2,40}?| (?:from|by|courtesy of|из) [^.\n]{2,40}?)\.(?= \p{Lu})/u,
  },
];

/** Enough for a dateline, a byline and an agency tag, each possibly split in two. */
const MAX_ROUNDS = 5;
/** A headline and a subtitle, as TASS and others print them above the dateline. */
const MAX_HEADINGS = 2;
const MAX_HEADING_LENGTH = 300;

export function stripLead(text: string): string {
  let rest = text.trimStart();
  for (let heading = 0; heading <= MAX_HEADINGS; heading++) {
    const stripped = stripAtStart(rest);
    if (stripped !== rest) return stripped;
    const next = afterHeading(rest);
    if (next === undefined) break;
    rest = next;
  }
  return text;
}

function stripAtStart(text: string): string {
  let rest = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const length = leadLength(rest);
    if (length === 0) break;
    rest = rest.slice(length).trimStart();
  }
  return rest;
}

/** The text after its first paragraph when that paragraph is a heading: short, without a final stop. */
function afterHeading(text: string): string | undefined {
  const end = text.search(/\n[^\S\n]*\n/);
  if (end < 0 || end > MAX_HEADING_LENGTH) return undefined;
  if (/[.!?…:;]["'”’»)]*\s*$/u.test(text.slice(0, end))) return undefined;
  return text.slice(end).trimStart();
}

function leadLength(text: string): number {
  for (const { pattern, may } of LEAD_RULES) {
    if (!may(text)) continue;
    const match = pattern.exec(text);
    if (match && match[0].length > 0) return match[0].length;
  }
  return 0;
}
