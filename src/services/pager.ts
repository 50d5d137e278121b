import { randomBytes } from 'node:crypto';

/**
 * Where the state behind a message's Prev/Next buttons lives: a button's custom id holds at most
 * 100 characters, too few for a query and its cursors, so it holds a short key to this instead.
 * Kept in memory for an hour (bounded); after that, or a restart, the buttons say to ask again.
 */
export interface Pager<T> {
  save(state: T): string;
  get(id: string): T | undefined;
}

export function createPager<T>(options: {
  clock: () => Date;
  ttlMs?: number;
  max?: number;
}): Pager<T> {
  const ttlMs = options.ttlMs ?? 60 * 60_000;
  const max = options.max ?? 1000;
  const entries = new Map<string, { state: T; expires: number }>();
  return {
    save(state) {
      const id = randomBytes(6).toString('base64url');
      entries.set(id, { state, expires: options.clock().getTime() + ttlMs });
      // A Map iterates in insertion order: the first keys are the oldest.
      for (const oldest of entries.keys()) {
        if (entries.size <= max) break;
        entries.delete(oldest);
      }
      return id;
    },
    get(id) {
      const entry = entries.get(id);
      if (!entry) return undefined;
      if (entry.expires <= options.clock().getTime()) {
        entries.delete(id);
        return undefined;
      }
      return entry.state;
    },
  };
}
