import type { Router, Target } from '../domain/delivery';

const CONSOLE: Target = { kind: 'console' };

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
