import type { Item } from '../domain/item';
import { titleFingerprint } from '../feeds/item-key';
import { digest } from './hash';
import type { KV } from './kv';

/**
 * The names an item goes by. An item is new only if it answers to none of them, so a feed that
 * rewrites guids but keeps links (or re-dates everything) posts nothing again. Dates are never part
 * of an identity. Without guid and link, the title fingerprint is the only name left.
 */
export function identitiesOf(item: Pick<Item, 'guid' | 'storyKey'>): string[] {
  const ids: string[] = [];
  if (item.guid) ids.push(`g:${item.guid}`);
  if (item.storyKey.startsWith('l:') || !item.guid) ids.push(item.storyKey);
  return ids;
}

export interface SeenRepo {
  /**
   * Splits a feed's items: `fresh` answer to none of the names seen for this feed (in input order,
   * each story once); `renamed` are known items with a new name (a changed guid), to be marked so
   * the old and the new name both keep them known. `seenBefore`: some item answers to a name
   * already recorded for this feed, so the feed has been polled before.
   */
  classify(
    feedId: string,
    items: Item[],
  ): Promise<{ fresh: Item[]; renamed: Item[]; seenBefore: boolean }>;
  /** Records every identity of the items, including names a known item newly answers to. */
  markSeen(feedId: string, items: Item[]): Promise<void>;
  /**
   * The keys of those items whose title this feed has shown before. Not an identity (a feed may
   * well repeat a title), but the sign of a feed that renamed its items rather than wrote new ones.
   */
  knownTitles(feedId: string, items: Item[]): Promise<Set<string>>;
}

export interface SeenOptions {
  /** How long an identity is remembered. Items older than this are never delivered anyway. */
  ttlMs: number;
  /** The worker's clock: an identity is stored with when it was first marked. */
  clock: () => Date;
}

/** A title's mark in the seen set; undefined for a title of no words. */
function titleMark(item: Pick<Item, 'title'>): string | undefined {
  const fingerprint = titleFingerprint(item.title);
  return fingerprint ? `title:${fingerprint}` : undefined;
}

/** An item's store keys in one feed's seen set. */
interface Names {
  feedId: string;
  /** One per identity (identitiesOf). */
  ids: string[];
  /**
   * The title's mark (undefined: the title has no words), once asked for: a poll whose items are
   * all known never needs it, and fingerprinting and hashing a title costs more than its names.
   */
  title?: string | undefined;
}

export function createSeenRepo(kv: KV, options: SeenOptions): SeenRepo {
  const keyOf = (feedId: string, identity: string) => `seen:${feedId}:${digest(identity)}`;
  // A poll asks about the same items up to three times (classify, knownTitles, markSeen): their
  // keys are hashed once. Items are immutable values, so the keys cannot go stale.
  const hashed = new WeakMap<Item, Names>();
  const namesOf = (feedId: string, item: Item): Names => {
    const cached = hashed.get(item);
    if (cached?.feedId === feedId) return cached;
    const names: Names = { feedId, ids: identitiesOf(item).map((id) => keyOf(feedId, id)) };
    hashed.set(item, names);
    return names;
  };
  const titleOf = (feedId: string, item: Item): string | undefined => {
    const names = namesOf(feedId, item);
    if (!('title' in names)) {
      const mark = titleMark(item);
      names.title = mark === undefined ? undefined : keyOf(feedId, mark);
    }
    return names.title;
  };
  return {
    async classify(feedId, items) {
      const keysPerItem = items.map((item) => namesOf(feedId, item).ids);
      const keys = [...new Set(keysPerItem.flat())];
      const values = await kv.getMany<number>(keys);
      const known = new Set<string>();
      for (const [i, key] of keys.entries()) if (values[i] !== undefined) known.add(key);
      const seenBefore = known.size > 0;
      const fresh: Item[] = [];
      const renamed: Item[] = [];
      items.forEach((item, i) => {
        const itemKeys = keysPerItem[i]!;
        let hits = 0;
        for (const k of itemKeys) if (known.has(k)) hits++;
        if (hits === itemKeys.length) return;
        if (hits > 0) renamed.push(item);
        else fresh.push(item);
        // A later entry of the same batch answering to one of these names is the same story.
        for (const k of itemKeys) known.add(k);
      });
      return { fresh, renamed, seenBefore };
    },
    async markSeen(feedId, items) {
      const now = options.clock().getTime();
      const keys = new Set<string>();
      for (const item of items) {
        for (const k of namesOf(feedId, item).ids) keys.add(k);
        const title = titleOf(feedId, item);
        if (title !== undefined) keys.add(title);
      }
      await kv.setMany([...keys].map((key) => ({ key, value: now, ttlMs: options.ttlMs })));
    },
    async knownTitles(feedId, items) {
      const marked: Array<{ item: Item; key: string }> = [];
      for (const item of items) {
        const key = titleOf(feedId, item);
        if (key !== undefined) marked.push({ item, key });
      }
      const values = await kv.getMany<number>(marked.map((m) => m.key));
      const known = new Set<string>();
      for (const [i, m] of marked.entries()) if (values[i] !== undefined) known.add(m.item.key);
      return known;
    },
  };
}
