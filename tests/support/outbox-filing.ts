import type { KV } from '../../src/store/kv';
import { PAGES, pageKey, pageOf, recordKey, TAIL } from '../../src/store/outbox-pages';

/**
 * Checks the outbox's pages as a reader of the store would (outbox-pages.ts): the list names
 * exactly the pages that exist, none of them empty, and every id on a page has a record filed on
 * that page. Returns the ids on each page, in page order.
 */
export async function outboxFiling(kv: KV): Promise<string[][]> {
  const tail = (await kv.get<number>(TAIL)) ?? 0;
  const listed = (await kv.get<number[]>(PAGES)) ?? [];
  const numbers = Array.from({ length: tail + 1 }, (_, n) => n);
  const pages = await kv.getMany<string[]>(numbers.map(pageKey));
  const existing = numbers.filter((n) => pages[n] !== undefined);
  if (JSON.stringify(existing) !== JSON.stringify(listed))
    throw new Error(`pages listed ${JSON.stringify(listed)}, existing ${JSON.stringify(existing)}`);
  const filed = existing.map((n) => pages[n]!);
  for (const [i, ids] of filed.entries()) {
    if (ids.length === 0) throw new Error(`page ${existing[i]} is empty`);
    const records = await kv.getMany(ids.map(recordKey));
    const stray = ids.filter((_, j) => pageOf(records[j]) !== existing[i]);
    if (stray.length > 0) throw new Error(`page ${existing[i]} names ${stray.join(', ')}`);
  }
  return filed;
}
