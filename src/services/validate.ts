/**
 * Checks on what people type into slash commands. Discord enforces the lengths declared on each
 * option (the same numbers, from here), but every value is checked again: options can be sent by
 * anyone with a bot token, not only by Discord's client.
 */
import { parseDuration } from '../config/duration';
import { QueryError, UserError } from '../errors';
import { compileTopics } from '../topics/compile';
import type { Groups, TopicDef } from '../topics/schema';
import { DIGEST_TIME } from './digest-time';

export const INPUT_LIMITS = {
  /** A new guild topic's id: stored as `<guildId>_<id>`, which the archive query caps at 64. */
  topicId: 40,
  /** Naming an existing topic (global ids may be longer). */
  topicRef: 64,
  topicName: 100,
  query: 1000,
  text: 200,
  since: 16,
  url: 500,
  feedName: 100,
  feedId: 64,
  digestTime: 5,
} as const;

const TOPIC_ID = /^[a-z0-9-]+$/;

/** A user-typed string option: trimmed, within its limit, never empty. */
export function textOption(value: string, what: string, max: number): string {
  const text = value.trim();
  if (text === '') throw new UserError(`${what} cannot be empty.`);
  if ([...text].length > max) throw new UserError(`${what} is longer than ${max} characters.`);
  return text;
}

export function topicIdOption(value: string): string {
  const id = textOption(value, 'The topic id', INPUT_LIMITS.topicId).toLowerCase();
  if (!TOPIC_ID.test(id))
    throw new UserError(
      'A topic id uses lowercase letters, digits and dashes only, e.g. `energy-prices`.',
    );
  return id;
}

/** `24h`, `7d`, `90m` → milliseconds, at most `maxDays` (what the archive keeps). */
export function sinceOption(value: string, maxDays: number): number {
  const text = textOption(value, 'since', INPUT_LIMITS.since).toLowerCase();
  const ms = parseDuration(text);
  if (ms === undefined || ms === 0)
    throw new UserError('`since` is a duration like `24h`, `7d` or `90m`.');
  if (ms > maxDays * 86_400_000)
    throw new UserError(`The archive keeps ${maxDays} days; ask for \`${maxDays}d\` or less.`);
  return ms;
}

export function digestTimeOption(value: string): string {
  const text = value.trim();
  if (!DIGEST_TIME.test(text))
    throw new UserError('`digest_time` is a UTC time of day like `08:00` or `18:30`.');
  return text;
}

/** A query error as people should see it: the message and the query with a caret under the spot. */

/** Parses and compiles a topic against the global groups, so the matcher can trust it once saved. */
export function checkTopicQuery(topic: TopicDef, groups: Groups): void {
  try {
    compileTopics([topic], groups);
  } catch (err) {
    if (err instanceof QueryError) {
      // The compiler prefixes "Topic <id>: "; people know which topic they are editing.
      throw new QueryError(err.message.replace(/^Topic [^:]+: /, ''), err.query, err.offset);
    }
    throw err;
  }
}
