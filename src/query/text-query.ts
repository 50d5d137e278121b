/**
 * Text search over the archive: `words and "quoted phrases"`, every one required, read by the
 * topic query parser and the shared tokenizer, so a search word meets the same inflections,
 * capitals rule (UN is not "un") and phrase rule as a topic term. It searches what the archive
 * indexes: titles and descriptions (archive-index.ts).
 *
 * Words are answered by the word lists alone. A phrase needs its words adjacent, which the lists
 * cannot tell, so items that have all the words are then checked with the compiled query.
 * Operators, groups, fields and prefixes belong to topics: they are refused with a message that
 * says so, rather than half-supported.
 */
import { QueryError, UserError } from '../errors';
import type { Archived } from '../store/archive';
import { searchDoc, wordName } from '../store/archive-index';
import type { QueryNode, TermNode } from '../topics/ast';
import { compileTopics, parseQuery } from '../topics/compile';

export interface TextQuery {
  /** Index names of every word: an item must be in all of their lists. */
  words: string[];
  /** Present when the lists over-approximate (phrases): the exact test for a candidate. */
  verify?: (archived: Archived) => boolean;
}

export const MAX_TEXT_LENGTH = 300;

const REFUSED: Record<string, string> = {
  or: 'OR',
  not: 'NOT or -',
  near: 'NEAR',
  group: '@groups',
  field: 'title:, summary: and text:',
};

/** The terms of an implicit or explicit AND of words and phrases; anything else is refused. */
function termsOf(node: QueryNode): TermNode[] {
  if (node.type === 'and') return node.children.flatMap(termsOf);
  if (node.type === 'term') {
    if (node.words.some((w) => w.prefix)) throw refuse('prefixes like terror*');
    return [node];
  }
  throw refuse(REFUSED[node.type] ?? node.type);
}

const refuse = (what: string) =>
  new UserError(
    `Text search takes only words and "quoted phrases", all of which must appear (${what}: use a topic query).`,
  );

export function parseTextQuery(text: string): TextQuery {
  if (text.length > MAX_TEXT_LENGTH)
    throw new UserError(`Search text is too long (at most ${MAX_TEXT_LENGTH} characters).`);
  let terms: TermNode[];
  try {
    terms = termsOf(parseQuery(text));
  } catch (e) {
    if (e instanceof QueryError) {
      throw new UserError(
        `Cannot read the search text at character ${e.offset + 1}: ${e.message}.`,
        { cause: e },
      );
    }
    throw e;
  }
  const words = [...new Set(terms.flatMap((t) => t.words.map(wordName)))];
  if (terms.every((t) => t.words.length === 1)) return { words };
  const matcher = compileTopics([{ id: 'text', name: 'text', query: text, minScore: 0 }], {});
  return { words, verify: (archived) => matcher.match(searchDoc(archived.item)).length > 0 };
}
