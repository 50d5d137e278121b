/**
 * Page cursors: the position of the last item shown (published time and key, the sort order), and
 * a fingerprint of the filters, so a cursor pasted into a different query is refused instead of
 * silently paging something else. The range is not part of it: `since 7d` moves with the clock
 * between pages, and a position stays meaningful when it does.
 */
import { z } from 'zod';
import { UserError } from '../errors';
import { digest } from '../store/hash';

export interface Cursor {
  ms: number;
  key: string;
}

const CursorSchema = z.tuple([z.number().int(), z.string().min(1), z.string()]);

export function filterFingerprint(filters: {
  topics?: string[];
  feeds?: string[];
  text?: string;
}): string {
  const sorted = (xs?: string[]) => [...new Set(xs ?? [])].sort();
  return digest(
    JSON.stringify([sorted(filters.topics), sorted(filters.feeds), filters.text?.trim() ?? '']),
    8,
  );
}

export function encodeCursor(cursor: Cursor, fingerprint: string): string {
  return Buffer.from(JSON.stringify([cursor.ms, cursor.key, fingerprint])).toString('base64url');
}

export function decodeCursor(text: string, fingerprint: string): Cursor {
  let parsed: z.infer<typeof CursorSchema>;
  try {
    parsed = CursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new UserError('That cursor is not one this bot gave out: start again without it.');
  }
  if (parsed[2] !== fingerprint)
    throw new UserError('That cursor belongs to a different search: start again without it.');
  return { ms: parsed[0], key: parsed[1] };
}
