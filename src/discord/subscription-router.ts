import type { Subscription, SubscriptionsRepo } from '../store/subscriptions';
import type { Route, Router } from '../domain/delivery';
import type { LiveCatalog } from '../catalog/live-catalog';
import { DEFAULT_DIGEST_TIME, nextDigestAt } from '../services/digest-time';

export interface SubscriptionRouterOptions {
  subscriptions: SubscriptionsRepo;
  catalog: Pick<LiveCatalog, 'subscribersOf'>;
  /** How long a new delivery to a paused channel is held before it is tried. */
  pausedHoldMs: number;
}

/** A channel's subscriptions an item answers, each with the match id that brought it. */
type Hit = { sub: Subscription; matchId: string };

/**
 * One route per channel: a channel following several matching topics gets one message naming
 * them all. Any instant subscription makes it an instant post; otherwise it waits for the
 * earliest of the channel's digest times. A paused channel's deliveries are queued but held.
 */
function channelRoute(hits: Hit[], now: Date, holdMs: number): Route {
  const first = hits[0]!.sub;
  const instant = hits.filter((h) => h.sub.mode === 'instant');
  const deciding = instant.length > 0 ? instant : hits;
  const route: Route = {
    target: { kind: instant.length > 0 ? 'channel' : 'digest', channelId: first.channelId },
    topicIds: [...new Set(hits.map((h) => h.matchId))],
  };
  const mentionRoleId = deciding.find((h) => h.sub.mentionRoleId)?.sub.mentionRoleId;
  if (mentionRoleId) route.mentionRoleId = mentionRoleId;
  let notBefore =
    instant.length > 0
      ? 0
      : Math.min(
          ...deciding.map((h) =>
            nextDigestAt(now, h.sub.digestTime ?? DEFAULT_DIGEST_TIME).getTime(),
          ),
        );
  if (first.paused) notBefore = Math.max(notBefore, now.getTime() + holdMs);
  if (notBefore > 0) route.notBefore = new Date(notBefore).toISOString();
  return route;
}

/**
 * Discord mode: an item's matches × the subscriptions to those topics → the channels to post to.
 * Matches arrive scoped (scope.ts), so a guild's topic or a guild feed's item reaches that guild
 * only: no guild can push content into another.
 */
export function subscriptionRouter(options: SubscriptionRouterOptions): Router {
  return async (item, matches, now) => {
    if (matches.length === 0) return [];
    const wanted = matches.map((m) => ({
      matchId: m.topicId,
      ...options.catalog.subscribersOf(m.topicId),
    }));
    const subs = await options.subscriptions.forTopics(wanted.map((w) => w.topicKey));
    const byChannel = new Map<string, Hit[]>();
    // Matches come best first; a channel's topics are listed in that order.
    for (const w of wanted) {
      for (const sub of subs) {
        if (sub.topicId !== w.topicKey || (w.guildId !== undefined && sub.guildId !== w.guildId))
          continue;
        byChannel.set(sub.channelId, [
          ...(byChannel.get(sub.channelId) ?? []),
          { sub, matchId: w.matchId },
        ]);
      }
    }
    const routes = [...byChannel.values()].map((hits) =>
      channelRoute(hits, now, options.pausedHoldMs),
    );
    if (routes.length > 0)
      await options.subscriptions.recordFeedChannels(item.feedId, [...byChannel.keys()]);
    return routes;
  };
}
