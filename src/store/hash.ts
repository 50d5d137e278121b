import { hash } from 'node:crypto';

/**
 * A short, key-safe digest: store keys must stay under the SQLite adapter's 255-character limit.
 * One-shot `crypto.hash` gives the same bytes as a `createHash` object for a third of its cost,
 * which counted: the seen set hashes every name of every item it is asked about.
 */
export function digest(text: string, length = 22): string {
  return hash('sha256', text, 'base64url').slice(0, length);
}
