import type { Item } from '../domain/item';
import type { Target } from '../domain/delivery';
import type { Match } from '../domain/match';

const CONSOLE: Target = { kind: 'console' };

/** Where one matched item should go: a channel (or the console), with the topics it answers. */
export interface Route {
  target: Target;
  topicIds: string[];
  mentionRoleId?: string;
  /** Hold the delivery until then (ISO): a digest's time, or a paused channel's next try. */
  notBefore?: string;
}

/** Decides the targets of a new item from its matches (subscriptions in Discord mode) at `now`. */
export type Router = (item: Item, matches: Match[], now: Date) => Promise<Route[]>;

/**
 * Console mode: everything a topic matched goes to the terminal; with no topics configured, every
 * new item does, so a newcomer sees the bot work before writing a single query.
 */
export function consoleRouter(hasTopics: () => boolean): Router {
  return async (_item, matches) => {
    if (!hasTopics()) return [{ target: CONSOLE, topicIds: [] }];
    return matches.length > 0 ? [{ target: CONSOLE, topicIds: matches.map((m) => m.topicId) }] : [];
  };
}
