import type { Delivery } from '../domain/delivery';
import type { Item } from '../domain/item';
import { deliveryId } from '../store/outbox';
import type { StoryIndex } from '../store/story-index';
import type { StoryPostsRepo } from '../store/story-posts';
import type { Token } from '../topics/tokenize';

export interface StoryRouting {
  stories: StoryIndex;
  posts: StoryPostsRepo;
}

/** The delivery of a story's briefing to a target: its id (and nonce) name the target and the story, not the item. */
export function storyDelivery(d: Delivery, storyId: string): Delivery {
  const id = deliveryId(d.target, `story\n${storyId}`);
  return { ...d, id, nonce: id, storyId };
}

/**
 * Files the fresh items under their stories and turns the per-item deliveries into per-story
 * ones: a target not yet told of a story gets one briefing, whichever of its items came first
 * (two items of one story in one poll, or a channel whose two topics both match, still make one,
 * because the delivery's id is target × story and the outbox keeps a pending one as it is); a
 * target already told gets an update for a source it has not been told, and a digest nothing
 * (it listed the story with the sources it had).
 *
 * Called before the items are marked seen: after a crash the next poll assigns them again, which
 * answers the same story ids and records nothing twice, and re-derives the same deliveries.
 * `headlines`: the items' title tokens, as the matcher made them.
 */
export async function routeByStory(
  routing: StoryRouting,
  fresh: Item[],
  deliveries: Delivery[],
  headlines?: Token[][],
): Promise<Delivery[]> {
  const assigned = await routing.stories.assign(fresh, headlines);
  const storyOf = new Map(fresh.map((item, i) => [item.key, assigned[i]!]));
  const keyed = deliveries.map((d) => ({ d, assignment: storyOf.get(d.itemKey) }));
  const posts = await routing.posts.getMany(
    keyed.flatMap(({ d, assignment }) =>
      assignment ? [{ target: d.target, storyId: assignment.storyId }] : [],
    ),
  );
  const out = new Map<string, Delivery>();
  let at = 0;
  for (const { d, assignment } of keyed) {
    if (!assignment) {
      out.set(d.id, d);
      continue;
    }
    const { storyId } = assignment;
    const post = posts[at++];
    if (!post) {
      const briefing = storyDelivery(d, storyId);
      if (!out.has(briefing.id)) out.set(briefing.id, briefing);
    }
    // A later source also gets an update of its own when no post is recorded yet: the story's
    // briefing may be on its way already (drained before this source was filed), and then only
    // an update tells it. An update whose source the post already lists tells nothing.
    const later = post ? !post.itemKeys.includes(d.itemKey) : !assignment.first;
    if (later && d.target.kind !== 'digest') out.set(d.id, { ...d, storyId, update: true });
  }
  return [...out.values()];
}
