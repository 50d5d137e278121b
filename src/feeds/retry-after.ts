/**
 * Retry-After (RFC 9110 §10.2.3) is either a number of seconds or an HTTP-date. Both become a wait
 * in milliseconds so the scheduler has one unit to honour.
 */

/** All three HTTP-date forms (IMF-fixdate, RFC 850, asctime) start with a day name. */
const HTTP_DATE = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? /i;

/**
 * Milliseconds to wait, or undefined when the header is absent or unreadable. A date in the past
 * means "now" (0). `now` is injectable so HTTP-date answers can be tested exactly.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse alone reads noise such as "1.5" as a date in 2001, so only day-named dates pass.
  if (!HTTP_DATE.test(text)) return undefined;
  // asctime carries no zone but means GMT; without one Date.parse would read local time.
  const at = Date.parse(/GMT|UTC|[+-]\d{4}$/i.test(text) ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
