/**
 * Queries that parse but probably do not say what their author meant. Today: `and`, `or`, `not`
 * and `near` written in lower case, which the language reads as ordinary words to find (operators
 * are upper case), so `UN and Kazakhstan` also requires the word "and". `check-config` shows these
 * as warnings; nothing refuses them, since a topic may really be about the word.
 */
import { QueryError } from '../errors';
import { lexQuery } from './query-lexer';

const OPERATORS = new Set(['and', 'or', 'not', 'near']);

/** One warning per lower-case operator word, with a caret under it. */
export function queryWarnings(query: string): string[] {
  let lexemes: ReturnType<typeof lexQuery>;
  try {
    lexemes = lexQuery(query);
  } catch {
    return []; // the parser reports a query that does not lex, as an error
  }
  return lexemes.flatMap((l) =>
    l.t === 'word' && OPERATORS.has(l.text.toLowerCase())
      ? [
          new QueryError(
            `"${l.text}" is a word to find here, not an operator: write ${l.text.toUpperCase()} for the operator, or "${l.text}" in quotes to keep the word`,
            query,
            l.at,
          ).withCaret(),
        ]
      : [],
  );
}
