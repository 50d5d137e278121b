/** What an admin typed for a topic's fields, checked the same way for guild and global topics. */
import { UserError } from '../errors';
import { INPUT_LIMITS, textOption } from './validate';

export interface TopicInput {
  name?: string;
  query?: string;
  minScore?: number;
}

function minScoreOf(value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 100)
    throw new UserError('`min_score` is a number from 0 to 100.');
  return value;
}

/** The fields given, trimmed and within their limits; the ones left out stay out. */
export function topicChange(input: TopicInput): TopicInput {
  return {
    ...(input.name !== undefined && {
      name: textOption(input.name, 'The name', INPUT_LIMITS.topicName),
    }),
    ...(input.query !== undefined && {
      query: textOption(input.query, 'The query', INPUT_LIMITS.query),
    }),
    ...(input.minScore !== undefined && { minScore: minScoreOf(input.minScore) }),
  };
}

/** Discord shows at most 25 autocomplete choices. */
export const MAX_CHOICES = 25;

/** Topics whose id starts with, or whose name contains, what was typed; id matches first. */
export function suggestTopics<T extends { id: string; def: { name: string } }>(
  all: T[],
  typed: string,
): T[] {
  const q = typed.trim().toLowerCase();
  const ranked =
    q === ''
      ? all
      : [
          ...all.filter((t) => t.id.startsWith(q)),
          ...all.filter((t) => !t.id.startsWith(q) && t.def.name.toLowerCase().includes(q)),
        ];
  return ranked.slice(0, MAX_CHOICES);
}
