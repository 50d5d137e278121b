import { encodeTarget, type Delivery } from '../domain/delivery';
import type { Logger } from '../log';
import { newDelivery } from '../store/outbox';
import type { PostBudgetRepo } from '../store/post-budget';
import { foldedDelivery, planPosts, postsWanted, rateLimited, type Routed } from './flood-guard';

export interface PostPlan {
  deliveries: Delivery[];
  /** Items over the limits, told as part of an "N more" message or, that hour, already told. */
  folded: number;
}

/**
 * The deliveries one feed's poll queues: its routes (newest item first) within the per-poll and
 * per-channel limits, and for each target one "N more" message for the rest, at most once an
 * hour for a rate-limited one. Items over the limits are archived either way; the log says how
 * many were held back and why.
 */
export async function planFeedPosts(
  feedId: string,
  routed: Routed[],
  deps: { budget: PostBudgetRepo; perPoll: number; logger: Logger; now: Date },
): Promise<PostPlan> {
  const { budget, perPoll, now } = deps;
  const plan = planPosts(routed, perPoll, await budget.take(postsWanted(routed, perPoll), now));
  const deliveries = plan.send.map(({ item, route: r }) => {
    const delivery = newDelivery(r.target, item.key, r.topicIds, now, r.mentionRoleId);
    return r.notBefore ? { ...delivery, notBefore: r.notBefore } : delivery;
  });
  let told = 0;
  for (const fold of plan.folded) {
    if (rateLimited(fold.target) && !(await budget.claimNotice(encodeTarget(fold.target), now)))
      continue;
    deliveries.push(foldedDelivery(fold, now));
    told++;
  }
  const folded = plan.folded.reduce((n, f) => n + f.items.length, 0);
  if (folded > 0)
    deps.logger.warn(
      'feed flood: items over the posting limits are archived, not posted one by one',
      {
        feedId,
        posted: plan.send.length,
        folded,
        // Targets already told this hour get no second "N more" message.
        foldMessages: told,
        alreadyTold: plan.folded.length - told,
        perPoll,
        perChannelPerHour: budget.limits.perChannelPerHour,
      },
    );
  return { deliveries, folded };
}
