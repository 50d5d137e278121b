import { createHash } from 'node:crypto';

/** A short, key-safe digest: store keys must stay under the SQLite adapter's 255-character limit. */
export function digest(text: string, length = 22): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}
