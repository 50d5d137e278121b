/**
 * Guild topics and feeds live beside the operator's global ones. Internally they are named
 * `<guildId>_<id>` (a global id cannot contain '_', and the archive's query accepts `[\w-]` ids),
 * so ids never collide across guilds or with the global catalogue; users only see the `id` part.
 *
 * The same naming keeps guilds' feeds to themselves in the archive: when an item of guild G's
 * feed matches a global topic `t`, the match is recorded as `G_t`. The archive's lists for `t`
 * then hold only items everyone may see, and guild G asks for `t` and `G_t` together.
 */
import type { Match } from '../domain/match';

export const scopedId = (guildId: string, id: string) => `${guildId}_${id}`;

const SCOPED = /^(\d{17,20})_(.+)$/;

/** The guild a scoped id belongs to (undefined for a global one) and the id people see. */
export function splitScoped(key: string): { guildId?: string; id: string } {
  const m = SCOPED.exec(key);
  return m ? { guildId: m[1]!, id: m[2]! } : { id: key };
}

/** An operator feed's items may go to any guild; a guild feed's items to that guild only. */
export function feedVisibleIn(feedId: string, guildId: string): boolean {
  const owner = splitScoped(feedId).guildId;
  return owner === undefined || owner === guildId;
}

/**
 * An item's matches named for who may see them: unchanged for an operator feed; for guild G's
 * feed, global topics become `G_t`, G's own topics stay, other guilds' topics are dropped.
 */
export function scopeMatches(matches: Match[], feedId: string): Match[] {
  const owner = splitScoped(feedId).guildId;
  if (owner === undefined) return matches;
  return matches.flatMap((m) => {
    const topicOwner = splitScoped(m.topicId).guildId;
    if (topicOwner === undefined) return [{ ...m, topicId: scopedId(owner, m.topicId) }];
    return topicOwner === owner ? [m] : [];
  });
}
