/** When digests are posted unless a subscription says otherwise ('HH:MM', UTC). */
export const DEFAULT_DIGEST_TIME = '08:00';

export const DIGEST_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The first time of day `hhmm` (UTC) strictly after `now`. */
export function nextDigestAt(now: Date, hhmm: string): Date {
  const m = DIGEST_TIME.exec(hhmm);
  if (!m) throw new RangeError(`Digest time is not HH:MM: ${JSON.stringify(hhmm)}`);
  const at = new Date(now);
  at.setUTCHours(Number(m[1]), Number(m[2]), 0, 0);
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}
