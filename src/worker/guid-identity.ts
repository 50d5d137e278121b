import type { FeedDef } from '../domain/feed';
import type { RawFeed } from '../domain/item';
import { sharedGuids } from '../feeds/shared-guids';
import type { Logger } from '../log';
import type { FeedStateRepo, SharedGuids } from '../store/feed-state';

/**
 * The guids that are no identity for this feed: those its documents were seen giving to several
 * items, now (in `raw`) or before (`noted`, the feed's state as read for this poll: a feed
 * listing one item at a time under a constant guid shows it only across polls). A newly found one
 * is recorded in the feed's state, which `/feed status` shows, and warned about once.
 */
export async function ignoredGuids(
  feed: FeedDef,
  raw: RawFeed,
  noted: SharedGuids | undefined,
  deps: { feedState: FeedStateRepo; logger: Logger; now: Date },
): Promise<Set<string>> {
  const known = new Set(noted?.guids);
  const found = [...sharedGuids(raw.entries)];
  const fresh = found.filter((g) => !known.has(g));
  if (fresh.length > 0) {
    await deps.feedState.noteSharedGuids(feed.id, fresh, deps.now);
    deps.logger.warn(
      'feed gives several items the same guid: those items are told apart by link and title',
      {
        feedId: feed.id,
        guids: fresh.slice(0, 3).map((g) => g.slice(0, 200)),
        count: fresh.length,
      },
    );
  }
  return new Set([...known, ...found]);
}
