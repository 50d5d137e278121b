/**
 * Secrets never reach the terminal. Redaction happens at the output boundary — every write to
 * stdout and stderr — rather than in each place that writes, because the text that leaks is
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
 * three dot-separated parts, which is what makes it a credential), and the store URL's password
 * as written and decoded.
 */
export function secretsOf(env: Pick<Env, 'DISCORD_TOKEN' | 'STORE_URL'>): string[] {
  const secrets: string[] = [];
  if (env.DISCORD_TOKEN) {
    secrets.push(env.DISCORD_TOKEN);
    const signature = env.DISCORD_TOKEN.split('.')[2];
    if (signature) secrets.push(signature);
  }
  try {
    const password = new URL(env.STORE_URL).password;
    if (password) secrets.push(password, decodeURIComponent(password));
  } catch {
    // Not a URL with a password: nothing to hide.
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

/** A string chunk, redacted; bytes are decoded only to be replaced when they hold a secret. */
function redactChunk(chunk: unknown, redact: Redact): unknown {
  if (typeof chunk === 'string') return redact(chunk);
  if (!(chunk instanceof Uint8Array)) return chunk;
  const text = Buffer.from(chunk).toString('utf8');
  const safe = redact(text);
  return safe === text ? chunk : safe;
}

type Write = NodeJS.WriteStream['write'];
const originals = new WeakMap<NodeJS.WriteStream, Write>();

/**
 * Sends every later write to `streams` through `redact`. Calling it again replaces the redactor
 * (the streams are wrapped once). Text split across two writes is not joined: the process writes
 * whole lines.
 */
export function redactOutput(
  redact: Redact,
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    const original = originals.get(stream) ?? stream.write;
    originals.set(stream, original);
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      (original as (...args: unknown[]) => boolean).call(
        stream,
        redactChunk(chunk, redact),
        ...rest,
      )) as Write;
  }
}
