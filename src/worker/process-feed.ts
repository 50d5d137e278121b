import type { PolledFeed } from '../domain/feed';
import type { Item, RawFeed } from '../domain/item';
import { normalizeFeed } from '../feeds/normalize';
import { observe } from '../observe/metrics';
import type { Logger } from '../log';
import type { ArchiveRepo } from '../store/archive';
import type { FeedStateRepo } from '../store/feed-state';
import type { OutboxRepo } from '../store/outbox';
import type { PostBudgetRepo } from '../store/post-budget';
import type { SeenRepo } from '../store/seen';
import type { ItemMatch } from '../topics/compile';
import { fieldTokens } from '../topics/tokenize';
import type { Router } from '../domain/delivery';
import { type Routed, withinPoll } from './flood-guard';
import type { PageImages } from './page-images';
import { planFeedPosts } from './post-plan';
import { ignoredGuids } from './guid-identity';
import { renamedByTitle } from './rekey';
import { routeByStory, type StoryRouting } from './story-routing';

export interface FeedStores {
  seen: SeenRepo;
  archive: ArchiveRepo;
  outbox: OutboxRepo;
  feedState: FeedStateRepo;
  /** What one poll of a feed, and one channel in an hour, may post. */
  budget: PostBudgetRepo;
  /** Brief each target once per story (absent: once per item). */
  stories?: StoryRouting;
}

export interface ProcessContext {
  stores: FeedStores;
  /**
   * The topics an item matches (it is its own MatchDoc; its feed decides who may see them), with
   * the item's tokens, which the archive and the story stage read rather than tokenize again.
   */
  match: (item: Item) => ItemMatch;
  route: Router;
  now: Date;
  /** Items published before this are archived but never delivered (the seen set forgets them). */
  deliverAfter: Date;
  logger: Logger;
  /** OG_IMAGE: pictures from the article pages of items this poll may post (absent: off). */
  pageImages?: PageImages;
  /** Aborted at shutdown: page reads still on the network are cut. */
  signal?: AbortSignal;
}

export interface FeedOutcome {
  feedId: string;
  items: number;
  fresh: number;
  delivered: number;
  /** New items told as part of one "N more" message per channel rather than one by one. */
  folded: number;
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
  feed: PolledFeed,
  raw: RawFeed,
  ctx: ProcessContext,
): Promise<FeedOutcome> {
  const { seen, archive, outbox, feedState, budget } = ctx.stores;
  const state = await feedState.ofFeed(feed.id);
  const ignored = await ignoredGuids(feed, raw, state.sharedGuids, {
    feedState,
    logger: ctx.logger,
    now: ctx.now,
  });
  const items = normalizeFeed(raw, {
    feedId: feed.id,
    fetchedAt: ctx.now,
    url: feed.url,
    ignoredGuids: ignored,
  });
  const classified = await seen.classify(feed.id, items);
  const { primed } = state;
  // Known items mean the feed was polled before, even if the record of its first poll was lost
  // (a crash or a store failure between marking seen and marking primed): its new items post.
  const priming = !primed && !classified.seenBefore;
  const rekeyed = priming
    ? []
    : renamedByTitle(classified.fresh, await seen.knownTitles(feed.id, classified.fresh));
  if (rekeyed.length > 0)
    ctx.logger.warn('feed renamed its items (new guids or links, known titles): nothing posted', {
      feedId: feed.id,
      items: rekeyed.length,
    });
  const fresh = classified.fresh.filter((i) => !rekeyed.includes(i));
  const renamed = [...classified.renamed, ...rekeyed];

  const matchesOf = new Map(fresh.map((item) => [item.key, ctx.match(item)]));
  const deliverable = priming
    ? newestFirst(fresh).slice(0, feed.backfill)
    : fresh.filter((i) => Date.parse(i.publishedAt) >= ctx.deliverAfter.getTime());
  const routed: Routed[] = [];
  for (const item of newestFirst(deliverable))
    for (const route of await ctx.route(item, matchesOf.get(item.key)!.matches, ctx.now))
      routed.push({ item, route });
  // An operator's backfill is asked for explicitly: the per-poll limit does not cut it.
  const perPoll = Math.max(feed.backfill, budget.limits.perPoll);
  // Pages are read for the items this poll may post, never for everything polled, and before
  // anything is written, so the archive and the briefing both carry the picture.
  const postable = withinPoll(routed, perPoll);
  const images = ctx.pageImages
    ? await ctx.pageImages(
        fresh.filter((i) => postable.has(i.key)),
        feed,
        ctx.signal,
      )
    : undefined;
  const withImage = (item: Item): Item => {
    const image = images?.get(item.key);
    return image ? { ...item, image } : item;
  };

  await archive.put(
    fresh.map((item) => {
      const { matches, tokens } = matchesOf.get(item.key)!;
      return { item: withImage(item), matches, tokens };
    }),
  );
  const plan = await planFeedPosts(feed.id, routed, {
    budget,
    perPoll,
    logger: ctx.logger,
    now: ctx.now,
  });
  const { folded } = plan;
  // Stories after the flood limits: an "N more" message stands for many items, not one story.
  const deliveries = ctx.stores.stories
    ? [
        ...(await routeByStory(
          ctx.stores.stories,
          fresh,
          plan.deliveries.filter((d) => !d.folded),
          fresh.map((item) => fieldTokens(matchesOf.get(item.key)!.tokens, 'title')),
        )),
        ...plan.deliveries.filter((d) => d.folded),
      ]
    : plan.deliveries;
  await outbox.add(deliveries);
  await seen.markSeen(feed.id, [...fresh, ...renamed]);
  if (!primed) await feedState.markPrimed(feed.id);
  observe.feedProcessed({ fresh: fresh.length, delivered: deliveries.length });
  return {
    feedId: feed.id,
    items: items.length,
    fresh: fresh.length,
    delivered: deliveries.length,
    folded,
    priming,
  };
}
