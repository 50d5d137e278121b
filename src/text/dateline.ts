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

const LEAD_PATTERNS: readonly RegExp[] = [
  // A place with a date or an agency: "BAKU, Azerbaijan, Oct. 15", "ASTANA (Reuters) -",
  // "ASTANA, December 3. /TASS/.", "DUSHANBE, May 4, 2026, Asia-Plus --", "Алматы. 3 декабря. INTERFAX.RU -".
  new RegExp(
    `^(?:${DATED_PLACE})${REGIONS}(?:[,.]? ${DATE}(?:\\.? ?${AGENCY}|, ${AGENCY_NAME}(?=${DASH_END})|\\. (?:${SITE}|${AGENCY_NAME})(?=${DASH_END}))?| ?${AGENCY})(?:${DASH_END}|[.:]${BOUNDARY}|${LINE_END})`,
    'u',
  ),
  // A place in capitals alone: "WASHINGTON —", "BAKU, Azerbaijan" or "ANKARA" on its own line,
  // or "АСТАНА." when an agency or a byline follows.
  new RegExp(
    `^${CAPS_PLACE}(?:${REGIONS}${DASH_END}|(?:, ${TITLE_PLACE}){0,2}${LINE_END}|\\.(?= (?:${CAPS_WORD}[^\\S\\n]*${DASH}\\s|By )))`,
    'u',
  ),
  // "By Farida Nuri - Trend:", "By Jane Doe, Reuters" on its own line, "By Trend:".
  new RegExp(
    `^(?:By|BY) ${NAME}(?:[^\\S\\n]*(?:,|${DASH})[^\\S\\n]*${NAME})?(?:[^\\S\\n]*:${BOUNDARY}|${LINE_END})`,
    'u',
  ),
  // "(Reuters) -", "(TDH)."
  new RegExp(`^${AGENCY}(?:${DASH_END}|[.:]${BOUNDARY})`, 'u'),
  // The date first: "4 December 2026. Ashgabat.", "3 декабря 2026. Ашхабад."
  new RegExp(`^\\d{1,2} ${MONTH} \\d{4}(?: г\\.)?\\. ${TITLE_PLACE}\\.${BOUNDARY}`, 'u'),
  // A site's name: "AKIPRESS.COM -", "24.KG 03/12/26 -".
  new RegExp(`^${SITE}(?: \\d{1,2}/\\d{1,2}/\\d{2,4})?${DASH_END}`, 'u'),
  // A photo credit run into the lead: "Photo 24.kg. Bishkek city hall…", "Photo from open sources."
  /^(?:Photo|Фото)(?::? ?\S{2,40}?| (?:from|by|courtesy of|из) [^.\n]{2,40}?)\.(?= \p{Lu})/u,
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
  for (const pattern of LEAD_PATTERNS) {
    const match = pattern.exec(text);
    if (match && match[0].length > 0) return match[0].length;
  }
  return 0;
}
