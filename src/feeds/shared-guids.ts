import type { RawEntry } from '../domain/item';

/** An entry's guid as identities use it: whitespace collapsed; undefined when blank. */
export function guidOf(entry: Pick<RawEntry, 'guid'>): string | undefined {
  const guid = entry.guid?.replace(/\s+/g, ' ').trim();
  return guid ? guid : undefined;
}

/**
 * Guids that name more than one different entry of one document (a CMS that writes the same
 * `<guid isPermaLink="false">` on every item, or the site's home page as every item's id). Such a
 * guid identifies nothing: keyed by it, the second and third items would read as the first one
 * and never be archived or delivered. The same entry listed twice is one entry, not a collision.
 */
export function sharedGuids(entries: readonly RawEntry[]): Set<string> {
  const firstSeen = new Map<string, string>();
  const shared = new Set<string>();
  for (const entry of entries) {
    const guid = guidOf(entry);
    if (guid === undefined) continue;
    const what = `${entry.link?.trim() ?? ''}\n${entry.title?.replace(/\s+/g, ' ').trim() ?? ''}`;
    const first = firstSeen.get(guid);
    if (first === undefined) firstSeen.set(guid, what);
    else if (first !== what) shared.add(guid);
  }
  return shared;
}
