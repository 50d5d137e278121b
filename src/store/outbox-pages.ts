import type { KV } from './kv';
import type { Planned } from './atomic';

/**
 * How the outbox files its pending deliveries: their ids on numbered pages of at most
 * `PAGE_SIZE`, in the order they were queued, each delivery's record naming its page. A new
 * delivery goes on the last page (the tail) or on a page opened after it, so reading the live
 * pages in number order, and each page in order, gives the deliveries oldest first. One short key
 * lists the pages that hold anything; it changes only when a page is opened or emptied.
 *
 * This keeps an add or a remove to one page's rewrite (≤ PAGE_SIZE ids) and its records, whatever
 * the backlog: the single list of every pending id it replaces (`outbox:index`, still read and
 * drained) was rewritten whole by every add and every remove.
 *
 * 64 ids (~1.7 KB) keep a page within one 4 KB SQLite page, so a remove writes no overflow pages;
 * a poll of ~20 deliveries opens a page about every third add.
 */
export const PAGE_SIZE = 64;

/** The list of every pending id, as versions before the pages wrote it. Nothing adds to it now. */
export const LEGACY_INDEX = 'outbox:index';
/** The number of the last page opened (absent: 0). */
export const TAIL = 'outbox:tail';
/** The numbers of the pages that hold at least one id, ascending. */
export const PAGES = 'outbox:pages';
export const pageKey = (n: number) => `outbox:p:${n}`;
export const recordKey = (id: string) => `outbox:d:${id}`;

export const numberOf = (value: unknown, absent: number) =>
  typeof value === 'number' ? value : absent;
export const idsOf = (value: unknown) => (Array.isArray(value) ? (value as string[]) : undefined);
export const pagesOf = (value: unknown) => (Array.isArray(value) ? (value as number[]) : []);

/** The page a stored record is filed on; undefined for one the legacy index lists. */
export function pageOf(record: unknown): number | undefined {
  const page = (record as { page?: unknown } | undefined)?.page;
  return typeof page === 'number' ? page : undefined;
}

export interface Appended {
  /** Each page written, with all its ids: the tail with the first new ids, then new pages. */
  pages: Array<{ n: number; ids: string[] }>;
  /** Pages that did not exist before (to add to the list of pages). */
  opened: number[];
  tail: number;
}

/**
 * Where new ids go: on the tail page while it has room, then on pages opened after it. A tail
 * page that was emptied (and deleted) is opened again under its number: nothing comes after it.
 */
export function appendIds(tail: number, tailIds: string[] | undefined, ids: string[]): Appended {
  const pages: Appended['pages'] = [];
  const opened: number[] = [];
  let rest = ids;
  let n = tail;
  if (tailIds === undefined) opened.push(n);
  else if (tailIds.length < PAGE_SIZE) {
    const room = PAGE_SIZE - tailIds.length;
    pages.push({ n, ids: [...tailIds, ...rest.slice(0, room)] });
    rest = rest.slice(room);
    n++;
    if (rest.length > 0) opened.push(n);
  } else {
    n++;
    opened.push(n);
  }
  for (let at = 0; at < rest.length; at += PAGE_SIZE) {
    if (at > 0) opened.push(++n);
    pages.push({ n, ids: rest.slice(at, at + PAGE_SIZE) });
  }
  return { pages, opened, tail: pages.at(-1)?.n ?? tail };
}

/** A plan's answer when it must open or empty a page but was run without the list of pages. */
export const NEEDS_PAGES = Symbol('needs the list of pages');

/**
 * One `KV.update` over `keys` whose plan is told the list of pages only when it asked for it: a
 * page is opened or emptied by about one add or remove in PAGE_SIZE, and the others neither read
 * nor write the list (nor wait on it, on PostgreSQL). Asked for, the update runs again on fresh
 * values with the list. A caller that expects to need it (`withPages`) reads it the first time.
 */
export async function updateFiling<R>(
  kv: KV,
  keys: string[],
  plan: (values: unknown[], pages: number[] | undefined) => Planned<R> | typeof NEEDS_PAGES,
  withPages = false,
): Promise<R> {
  const once = (withPages: boolean) =>
    kv.update<R | typeof NEEDS_PAGES>(withPages ? [...keys, PAGES] : keys, (values) => {
      const planned = withPages
        ? plan(values.slice(0, -1), pagesOf(values.at(-1)))
        : plan(values, undefined);
      return planned === NEEDS_PAGES ? { writes: [], result: NEEDS_PAGES } : planned;
    });
  const first = await once(withPages);
  if (first !== NEEDS_PAGES) return first as R;
  const second = withPages ? NEEDS_PAGES : await once(true);
  if (second === NEEDS_PAGES) throw new Error('outbox: a plan asked for the pages it was given');
  return second as R;
}
