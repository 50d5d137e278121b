import type { Logger } from '../log';
import type { FeedStateRepo } from '../store/feed-state';
import type { SubscriptionsRepo } from '../store/subscriptions';
import type { GroupOutcome } from '../worker/poll-group';
import type { FetchGroup } from '../worker/schedule';
import type { Notices } from './notices';
import { splitScoped } from '../catalog/scope';

/** A feed failing for longer than this is worth telling the channels that read it. */
export const FEED_FAILING_NOTICE_MS = 86_400_000;

export interface FeedAlertsDeps {
  feedState: FeedStateRepo;
  subscriptions: SubscriptionsRepo;
  notices: Notices;
  feedName: (feedId: string) => string;
  clock: () => Date;
  logger: Logger;
}

/**
 * Watches poll outcomes; a feed failing for more than a day is reported once (per run of
 * failures) in the channels that depend on it: those it has delivered to and, for a guild's own
 * feed, every channel of that guild that follows a topic.
 */
export function createFeedAlerts(
  deps: FeedAlertsDeps,
): (outcome: GroupOutcome, group: FetchGroup) => Promise<void> {
  return async (outcome, group) => {
    if (outcome.kind !== 'failed') return;
    const state = await deps.feedState.fetchState(group.key);
    const since = state.failingSince;
    if (!since || deps.clock().getTime() - Date.parse(since) < FEED_FAILING_NOTICE_MS) return;
    for (const feed of group.feeds) {
      const channels = new Set(await deps.subscriptions.feedChannels(feed.id));
      const owner = splitScoped(feed.id).guildId;
      if (owner)
        for (const s of await deps.subscriptions.forGuild(owner)) channels.add(s.channelId);
      if (channels.size === 0) continue;
      await deps.notices.feedFailing(
        { id: feed.id, name: deps.feedName(feed.id) },
        [...channels],
        since,
        outcome.error.message,
      );
    }
  };
}
