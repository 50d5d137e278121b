import type { Item } from '../domain/item';

/** Fewer new items than this at once is ordinary news, whatever their titles. */
export const REKEY_MIN_ITEMS = 5;
/** The share of new items with titles the feed has shown before that reads as a rename. */
export const REKEY_SHARE = 0.8;

/**
 * A site migration (new guids, links moved to https and `www.`, tracking parameters added) makes
 * every item of a feed look new at once, under titles the feed has already shown. Those items
 * are renamed, not news: returns the ones to treat as renamed, or none when it is no mass re-key.
 */
export function renamedByTitle(fresh: Item[], knownTitles: ReadonlySet<string>): Item[] {
  if (fresh.length < REKEY_MIN_ITEMS) return [];
  const renamed = fresh.filter((item) => knownTitles.has(item.key));
  return renamed.length >= REKEY_SHARE * fresh.length ? renamed : [];
}
