/**
 * Feed dates as found → Date. Feeds use RFC 822 (RSS) and ISO 8601 (Atom, dc:date, JSON Feed),
 * often sloppily: no day of week, one-digit days, two-digit years, named zones, no seconds.
 * `Date.parse` is not used: its fallback grammar differs between engines and reads a date without
 * a zone in the machine's local time. A date without a zone is read as UTC here.
 */

const ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Zone abbreviations seen in feeds, as offsets in minutes east of UTC. */
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  wet: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  bst: 60,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  msd: 240,
  trt: 180,
  azt: 240,
  get: 240,
  amt: 240,
  uzt: 300,
  tmt: 300,
  tjt: 300,
  pkt: 300,
  ist: 330,
  almt: 300,
  kgt: 360,
  novt: 420,
  krat: 420,
  ict: 420,
  wib: 420,
  hkt: 480,
  sgt: 480,
  awst: 480,
  jst: 540,
  kst: 540,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

function offsetMinutes(zone: string | undefined): number | undefined {
  if (!zone) return 0;
  const z = zone.toLowerCase();
  if (z in ZONES) return ZONES[z];
  const m = /^(?:gmt|utc)?([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function utcDate(
  y: number,
  mo: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
  ms = 0,
  offset = 0,
): Date | undefined {
  // Date.UTC reads years below 100 as 19xx; no feed date is that old anyway.
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60)
    return undefined;
  // Date.UTC rolls 31 Feb over into March; a day that does not exist is not a date.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - offset * 60_000);
}

function parseIso(s: string): Date | undefined {
  const m = ISO.exec(s);
  if (!m) return undefined;
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return utcDate(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms, offset);
}

/** RFC 822 and its relatives: tokens in any sensible order, e.g. `Fri, 5 Oct 2021 9:12 MSK`. */
function parseRfc822(s: string): Date | undefined {
  let day: number | undefined, month: number | undefined, year: number | undefined;
  let time: [number, number, number] = [0, 0, 0];
  let pm: boolean | undefined;
  let offset: number | undefined;
  const tokens = s
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .split(/[\s,]+/)
    .filter(Boolean);
  for (const t of tokens) {
    const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/.exec(t);
    if (clock) time = [+clock[1]!, +clock[2]!, +(clock[3] ?? 0)];
    else if (t === 'am' || t === 'pm') pm = t === 'pm';
    else if (/^\d{4}$/.test(t)) year = +t;
    else if (/^\d{1,2}(?:st|nd|rd|th)?$/.test(t)) {
      if (day === undefined) day = parseInt(t, 10);
      else if (year === undefined) year = +t < 50 ? 2000 + +t : 1900 + +t;
      else return undefined;
    } else if (/^[a-z]{3,}\.?$/.test(t) && MONTHS.includes(t.slice(0, 3)))
      month = MONTHS.indexOf(t.slice(0, 3)) + 1;
    else if (/^[a-z]{3,}\.?$/.test(t) && DAYS.includes(t.slice(0, 3))) continue;
    else if (offset === undefined && offsetMinutes(t) !== undefined) offset = offsetMinutes(t);
    else return undefined;
  }
  if (day === undefined || month === undefined || year === undefined) return undefined;
  const [h, mi, sec] = time;
  const hour = pm === undefined ? h : (h % 12) + (pm ? 12 : 0);
  return utcDate(year, month, day, hour, mi, sec, 0, offset ?? 0);
}

/** A feed date string → Date, or undefined when it cannot be read. */
export function parseFeedDate(raw: string | undefined): Date | undefined {
  const s = raw?.trim();
  if (!s || s.length > 100) return undefined;
  return parseIso(s) ?? parseRfc822(s);
}

export interface DateContext {
  fetchedAt: Date;
  now: Date;
}

/**
 * When an entry was published: the first readable of its dates; fetch time when none is;
 * clamped to `now` when more than a day ahead (a wrong zone or a scheduled post).
 */
export function publishedAt(dates: Array<string | undefined>, ctx: DateContext): string {
  let found = ctx.fetchedAt;
  for (const raw of dates) {
    const date = parseFeedDate(raw);
    if (date) {
      found = date;
      break;
    }
  }
  const limit = ctx.now.getTime() + 24 * 60 * 60 * 1000;
  return (found.getTime() > limit ? ctx.now : found).toISOString();
}
