import type { FeedDef } from '../domain/feed';
import type { Item, RawFeed } from '../domain/item';
import { normalizeFeed } from '../feeds/normalize';
import { observe } from '../observe/metrics';
import type { ArchiveRepo } from '../store/archive';
import type { FeedStateRepo } from '../store/feed-state';
import { newDelivery, type OutboxRepo } from '../store/outbox';
import type { SeenRepo } from '../store/seen';
import type { Match } from '../domain/match';
import type { Router } from '../domain/delivery';
import { routeByStory, type StoryRouting } from './story-routing';

export interface FeedStores {
  seen: SeenRepo;
  archive: ArchiveRepo;
  outbox: OutboxRepo;
  feedState: FeedStateRepo;
  /** Brief each target once per story (absent: once per item). */
  stories?: StoryRouting;
}

export interface ProcessContext {
  stores: FeedStores;
  /** The topics an item matches (it is its own MatchDoc; its feed decides who may see them). */
  match: (item: Item) => Match[];
  route: Router;
  now: Date;
  /** Items published before this are archived but never delivered (the seen set forgets them). */
  deliverAfter: Date;
}

export interface FeedOutcome {
  feedId: string;
  items: number;
  fresh: number;
  delivered: number;
  /** True on the feed's first poll, when items are archived rather than delivered. */
  priming: boolean;
}

/** Newest first, so a backfill of N delivers the N latest items. */
function newestFirst(items: Item[]): Item[] {
  return [...items].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}

/**
 * One feed's share of a fetched document: normalise, keep what is new, match, archive, queue the
 * deliveries, and only then mark the items seen. A crash at any point repeats work on the next
 * poll rather than losing it; every write is idempotent.
 */
export async function processFeed(
  feed: FeedDef,
  raw: RawFeed,
  ctx: ProcessContext,
): Promise<FeedOutcome> {
  const { seen, archive, outbox, feedState } = ctx.stores;
  const items = normalizeFeed(raw, { feedId: feed.id, fetchedAt: ctx.now, url: feed.url });
  const { fresh, renamed, seenBefore } = await seen.classify(feed.id, items);
  const primed = await feedState.isPrimed(feed.id);
  // Known items mean the feed was polled before, even if the record of its first poll was lost
  // (a crash or a store failure between marking seen and marking primed): its new items post.
  const priming = !primed && !seenBefore;

  const entries = fresh.map((item) => ({ item, matches: ctx.match(item) }));
  await archive.put(entries);

  const deliverable = priming
    ? new Set(
        newestFirst(fresh)
          .slice(0, feed.backfill)
          .map((i) => i.key),
      )
    : new Set(
        fresh
          .filter((i) => Date.parse(i.publishedAt) >= ctx.deliverAfter.getTime())
          .map((i) => i.key),
      );
  let deliveries = [];
  for (const { item, matches } of entries) {
    if (!deliverable.has(item.key)) continue;
    for (const r of await ctx.route(item, matches, ctx.now)) {
      const delivery = newDelivery(r.target, item.key, r.topicIds, ctx.now, r.mentionRoleId);
      deliveries.push(r.notBefore ? { ...delivery, notBefore: r.notBefore } : delivery);
    }
  }
  if (ctx.stores.stories) deliveries = await routeByStory(ctx.stores.stories, fresh, deliveries);
  await outbox.add(deliveries);
  await seen.markSeen(feed.id, [...fresh, ...renamed]);
  if (!primed) await feedState.markPrimed(feed.id);
  observe.feedProcessed({ fresh: fresh.length, delivered: deliveries.length });
  return {
    feedId: feed.id,
    items: items.length,
    fresh: fresh.length,
    delivered: deliveries.length,
    priming,
  };
}
