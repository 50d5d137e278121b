/**
 * Removes the datelines and bylines that agencies put before the first sentence:
 *
 *   BAKU, Azerbaijan, Oct. 15            МОСКВА, 15 окт — РИА Новости.
 *   By Farida Nuri - Trend:              АСТАНА. КАЗИНФОРМ -
 *   ASTANA, Oct 15 (Reuters) -           Ashgabat, 15 October (TDH).
 *   ALMATY, Kazakhstan (AP) —            WASHINGTON —
 *   DUSHANBE, Tajikistan, March 3. By Trend: …
 *
 * Only at the start of the text: each round removes one element there, and a run of them (a
 * dateline paragraph, then a byline paragraph) takes a few rounds. The patterns are strict on
 * purpose — a lead that begins "Kazakhstan signed" or "UN chief warns" must survive — so a place
 * alone is a dateline only when written in capitals, or when a date or an agency follows it.
 */

const DASH = '(?:--|[-‒–—―])';
/** Ends a match at a space, a line's end or the text's end, never inside a word. */
const BOUNDARY = String.raw`(?=\s|$)`;
const LINE_END = String.raw`(?=[^\S\n]*(?:\n|$))`;

const CAPS_WORD = String.raw`\p{Lu}{2,30}(?:[-'’]\p{Lu}{1,30})*`;
// Three capitals at least, so that "UN chief warns…" is never read as a city.
const CAPS_PLACE = String.raw`\p{Lu}{3,30}(?:[-'’]\p{Lu}{1,30})*(?: ${CAPS_WORD}){0,3}`;
const TITLE_WORD = String.raw`\p{Lu}\p{Ll}{1,30}(?:-\p{Lu}?\p{Ll}{1,30})*`;
const TITLE_PLACE = `${TITLE_WORD}(?: ${TITLE_WORD}){0,2}`;
const PLACE = `(?:${CAPS_PLACE}|${TITLE_PLACE})`;
const REGIONS = String.raw`(?:, (?:${TITLE_PLACE}|${CAPS_WORD}|(?:\p{Lu}\.){2,})){0,2}`;

const EN_MONTH = String.raw`(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?`;
const RU_MONTH = String.raw`(?:янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек)\p{Ll}*\.?`;
const MONTH = `(?:${EN_MONTH}|${RU_MONTH})`;
const YEAR = String.raw`(?:,? \d{4}(?: г\.)?)?`;
const DATE = String.raw`(?:${MONTH} ?\d{1,2}${YEAR}|\d{1,2} ${MONTH}${YEAR})`;
const AGENCY = String.raw`\([^()\n]{1,40}\)`;

/**
 * "— РИА Новости." or "— Интерфакс." after a dash: one word, or words led by an acronym, closed by
 * a full stop. Anything else after the dash ("WASHINGTON — The Senate.") is the first sentence.
 */
const AGENCY_AFTER_DASH = String.raw`(?: (?:\p{Lu}\p{L}{1,30}|\p{Lu}{2,10}(?: \p{Lu}\p{L}{1,30}){1,2})\.${BOUNDARY})?`;
const DASH_END = String.raw`[^\S\n]*${DASH}${BOUNDARY}${AGENCY_AFTER_DASH}`;

const NAME_WORD = String.raw`\p{Lu}[\p{L}'’.-]{0,30}`;
const NAME = `${NAME_WORD}(?: (?:and |& )?${NAME_WORD}){0,4}`;

const LEAD_PATTERNS: readonly RegExp[] = [
  // A place with a date or an agency: "BAKU, Azerbaijan, Oct. 15", "ASTANA (Reuters) -".
  new RegExp(
    `^${PLACE}${REGIONS}(?:,? ${DATE}(?: ?${AGENCY})?| ?${AGENCY})(?:${DASH_END}|[.:]${BOUNDARY}|${LINE_END})`,
    'u',
  ),
  // A place in capitals alone: "WASHINGTON —", "BAKU, Azerbaijan" on its own line, or
  // "АСТАНА." when an agency or a byline follows.
  new RegExp(
    `^${CAPS_PLACE}(?:${REGIONS}${DASH_END}|(?:, ${TITLE_PLACE}){1,2}${LINE_END}|\\.(?= (?:${CAPS_WORD}[^\\S\\n]*${DASH}\\s|By )))`,
    'u',
  ),
  // "By Farida Nuri - Trend:", "By Jane Doe, Reuters" on its own line, "By Trend:".
  new RegExp(
    `^(?:By|BY) ${NAME}(?:[^\\S\\n]*(?:,|${DASH})[^\\S\\n]*${NAME})?(?:[^\\S\\n]*:${BOUNDARY}|${LINE_END})`,
    'u',
  ),
  // "(Reuters) -", "(TDH)."
  new RegExp(`^${AGENCY}(?:${DASH_END}|[.:]${BOUNDARY})`, 'u'),
];

/** Enough for a dateline, a byline and an agency tag, each possibly split in two. */
const MAX_ROUNDS = 5;

export function stripLead(text: string): string {
  let rest = text.trimStart();
  let stripped = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const length = leadLength(rest);
    if (length === 0) break;
    rest = rest.slice(length).trimStart();
    stripped = true;
  }
  return stripped ? rest : text;
}

function leadLength(text: string): number {
  for (const pattern of LEAD_PATTERNS) {
    const match = pattern.exec(text);
    if (match && match[0].length > 0) return match[0].length;
  }
  return 0;
}
