/**
 * What a poll may post: a feed that suddenly lists thousands of new items (or a site migration
 * that renames every item) must not bury a channel. Pure: the caller reads the channels' hourly
 * allowance from the store and writes the deliveries.
 */
import { encodeTarget, type Delivery, type Route, type Target } from '../domain/delivery';
import type { Item } from '../domain/item';
import { deliveryId, newDelivery } from '../store/outbox';

export interface Routed {
  item: Item;
  route: Route;
}

/** Items over a limit for one target, to be told as one "N more" message. */
export interface Fold {
  target: Target;
  /** Newest first. */
  items: Item[];
  topicIds: string[];
  /** A digest's time, from the first folded route. */
  notBefore?: string;
}

export interface FloodPlan {
  send: Routed[];
  folded: Fold[];
}

/** A digest is one message a day whatever it holds: hourly allowances are for instant posts. */
export const rateLimited = (target: Target) => target.kind !== 'digest';

/** The `perPoll` newest items (routes come newest first): the most one poll of a feed posts one by one. */
export function withinPoll(routed: Routed[], perPoll: number): Set<string> {
  const keys = new Set<string>();
  for (const { item } of routed) if (keys.size < perPoll) keys.add(item.key);
  return keys;
}

/** How many posts each rate-limited target would get within the per-poll limit. */
export function postsWanted(routed: Routed[], perPoll: number): Map<string, number> {
  const allowed = withinPoll(routed, perPoll);
  const wanted = new Map<string, number>();
  for (const { item, route } of routed) {
    if (!allowed.has(item.key) || !rateLimited(route.target)) continue;
    const key = encodeTarget(route.target);
    wanted.set(key, (wanted.get(key) ?? 0) + 1);
  }
  return wanted;
}

/**
 * Splits a poll's routes (newest item first) into posts and folds: an item beyond the `perPoll`
 * newest, or beyond its channel's `granted` posts, joins its target's one "N more" message.
 */
export function planPosts(
  routed: Routed[],
  perPoll: number,
  granted: ReadonlyMap<string, number>,
): FloodPlan {
  const allowed = withinPoll(routed, perPoll);
  const left = new Map(granted);
  const send: Routed[] = [];
  const folds = new Map<string, Fold>();
  for (const r of routed) {
    const key = encodeTarget(r.route.target);
    const budget = rateLimited(r.route.target) ? (left.get(key) ?? 0) : Infinity;
    if (allowed.has(r.item.key) && budget > 0) {
      send.push(r);
      left.set(key, budget - 1);
      continue;
    }
    const fold = folds.get(key) ?? {
      target: r.route.target,
      items: [],
      topicIds: [],
      ...(r.route.notBefore && { notBefore: r.route.notBefore }),
    };
    fold.items.push(r.item);
    for (const id of r.route.topicIds) if (!fold.topicIds.includes(id)) fold.topicIds.push(id);
    folds.set(key, fold);
  }
  return { send, folded: [...folds.values()] };
}

/**
 * One fold as one delivery: it carries the newest folded item (so the drain finds it in the
 * archive like any other) and how many items it stands for. Its id differs from that item's own
 * delivery, so a replayed poll that posts the item after all does not mistake one for the other.
 */
export function foldedDelivery(fold: Fold, now: Date): Delivery {
  const newest = fold.items[0]!;
  const id = deliveryId(fold.target, `${newest.key}\nfolded`);
  const delivery = newDelivery(fold.target, newest.key, fold.topicIds, now);
  return {
    ...delivery,
    id,
    nonce: id,
    folded: fold.items.length,
    ...(fold.notBefore && { notBefore: fold.notBefore }),
  };
}
