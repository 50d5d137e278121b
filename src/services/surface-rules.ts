/**
 * What Discord accepts for the ways a subscription can post (thread archive times, webhook names
 * and avatars): checked by the subscription service when an admin sets them, and by the Discord
 * surfaces when they post.
 */
import { safeLink } from '../delivery/briefing';

export const AUTO_ARCHIVE_MINUTES = [60, 1440, 4320, 10080] as const;
export type AutoArchiveMinutes = (typeof AUTO_ARCHIVE_MINUTES)[number];
/** @default three days: a briefing's discussion outlives a day but not a news cycle. */
export const DEFAULT_AUTO_ARCHIVE: AutoArchiveMinutes = 4320;

export const isAutoArchiveMinutes = (n: number): n is AutoArchiveMinutes =>
  (AUTO_ARCHIVE_MINUTES as readonly number[]).includes(n);

/** Discord's rules for a webhook's name and for a message's `username` override. */
export const WEBHOOK_NAME_MAX = 80;
/** The webhook's own name when the subscription gives none; messages still carry theirs. */
export const DEFAULT_WEBHOOK_NAME = 'Briefings';
const RESERVED_WORDS = ['discord', 'clyde'];

/** Every reason Discord would refuse `name`; empty when it is fine. */
export function webhookNameProblems(name: string): string[] {
  const problems: string[] = [];
  const size = [...name.trim()].length;
  if (size < 1 || size > WEBHOOK_NAME_MAX)
    problems.push(`the name must be 1 to ${WEBHOOK_NAME_MAX} characters (it is ${size})`);
  for (const word of RESERVED_WORDS)
    if (name.toLowerCase().includes(word)) problems.push(`the name may not contain "${word}"`);
  return problems;
}

/** Why an avatar URL cannot be used, or undefined: Discord fetches it, so it must be a plain https link. */
export function avatarUrlProblem(url: string): string | undefined {
  const safe = safeLink(url);
  if (!safe) return 'the avatar must be an http(s) URL without a user name or password';
  if (!safe.startsWith('https://')) return 'the avatar URL must use https';
  return undefined;
}
