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
  /** The title's mark, if the title has words. */
  title: string | undefined;
}

export function createSeenRepo(kv: KV, options: SeenOptions): SeenRepo {
  const keyOf = (feedId: string, identity: string) => `seen:${feedId}:${digest(identity)}`;
  // A poll asks about the same items up to three times (classify, knownTitles, markSeen): their
  // keys are hashed once. Items are immutable values, so the keys cannot go stale.
  const hashed = new WeakMap<Item, Names>();
  const namesOf = (feedId: string, item: Item): Names => {
    const cached = hashed.get(item);
    if (cached?.feedId === feedId) return cached;
    const mark = titleMark(item);
    const names: Names = {
      feedId,
      ids: identitiesOf(item).map((id) => keyOf(feedId, id)),
      title: mark === undefined ? undefined : keyOf(feedId, mark),
    };
    hashed.set(item, names);
    return names;
  };
  return {
    async classify(feedId, items) {
      const keysPerItem = items.map((item) => namesOf(feedId, item).ids);
      const keys = [...new Set(keysPerItem.flat())];
      const values = await kv.getMany<number>(keys);
      const known = new Set(keys.filter((_, i) => values[i] !== undefined));
      const seenBefore = known.size > 0;
      const fresh: Item[] = [];
      const renamed: Item[] = [];
      items.forEach((item, i) => {
        const itemKeys = keysPerItem[i]!;
        const hits = itemKeys.filter((k) => known.has(k)).length;
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
        const { ids, title } = namesOf(feedId, item);
        for (const k of ids) keys.add(k);
        if (title !== undefined) keys.add(title);
      }
      await kv.setMany([...keys].map((key) => ({ key, value: now, ttlMs: options.ttlMs })));
    },
    async knownTitles(feedId, items) {
      const marked = items.flatMap((item) => {
        const key = namesOf(feedId, item).title;
        return key === undefined ? [] : [{ item, key }];
      });
      const values = await kv.getMany<number>(marked.map((m) => m.key));
      return new Set(marked.filter((_, i) => values[i] !== undefined).map((m) => m.item.key));
    },
  };
}
