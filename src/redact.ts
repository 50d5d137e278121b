/**
 * Secrets never reach the terminal. Redaction happens at the output boundary
 * (src/output-boundary.ts: every write to stdout and stderr) rather than in each place that
 * writes, because the text that leaks is
 * usually not ours: Discord (or a REST proxy in front of it) may answer a refused request with
 * an error that quotes the `Authorization: Bot <token>` header back, and discord.js puts that
 * text in its error message, which then reaches a log line or the top-level "Unexpected error".
 */
import type { Env } from './config/env';

export type Redact = (text: string) => string;

/** Shown instead of a secret. */
export const REDACTED = '[redacted]';
/** Shorter values are not redacted: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;
/**
 * A password inside any URL (`scheme://user:password@host`), whether or not we know it; shown as
 * `***`, the way store errors already spell the store URL.
 */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi;

/**
 * The values that must never be written: the bot token and its signature part (the last of its
 * three dot-separated parts, which is what makes it a credential), and the store's and the job
 * queue's URL passwords as written and decoded.
 */
export function secretsOf(
  env: Pick<Env, 'DISCORD_TOKEN' | 'STORE_URL'> & Partial<Pick<Env, 'QUEUE_URL'>>,
): string[] {
  const secrets: string[] = [];
  if (env.DISCORD_TOKEN) {
    secrets.push(env.DISCORD_TOKEN);
    const signature = env.DISCORD_TOKEN.split('.')[2];
    if (signature) secrets.push(signature);
  }
  for (const url of [env.STORE_URL, env.QUEUE_URL]) {
    try {
      const password = url ? new URL(url).password : '';
      if (password) secrets.push(password, decodeURIComponent(password));
    } catch {
      // Not a URL with a password: nothing to hide.
    }
  }
  return secrets;
}

export function createRedactor(secrets: string[]): Redact {
  // Longest first, so that a secret containing another is replaced whole.
  const known = [...new Set(secrets)]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of known) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out.replace(URL_PASSWORD, '$1***@');
  };
}
