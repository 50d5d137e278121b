/**
 * Splits a topic query into lexemes for the parser (query-parser.ts documents the language).
 * Words are left as written; the shared tokenizer normalises them when the parser builds terms.
 */
import { QueryError } from '../errors';
import type { FieldScope, NearUnit, Scope } from './ast';

export type Lexeme =
  | { t: 'word' | 'phrase'; text: string; at: number }
  | { t: 'group'; name: string; at: number }
  | { t: 'field'; field: FieldScope; at: number }
  | { t: 'scope'; scope: Scope; value: string; at: number }
  | { t: 'near'; distance: number; unit: NearUnit; at: number }
  | { t: 'and' | 'or' | 'not' | 'minus' | 'lparen' | 'rparen' | 'eof'; at: number };

/** NEAR without /n. */
const DEFAULT_NEAR = 10;
/** Farther than this is "anywhere in the item": use AND, or NEAR/paragraph. */
export const MAX_NEAR = 999;
const NEAR_USAGE = `NEAR takes a distance of 1 to ${MAX_NEAR} words (NEAR/12), or NEAR/sentence or NEAR/paragraph`;
const FIELDS: readonly string[] = ['title', 'summary', 'text'] satisfies FieldScope[];
const SCOPES: readonly string[] = ['feed', 'site', 'author', 'category', 'lang'] satisfies Scope[];
const GROUP_NAME = /^[a-z][a-z0-9_]*$/;
const SPACE = /\s/;

function runEnd(q: string, from: number): number {
  let j = from;
  while (j < q.length && !SPACE.test(q[j] ?? '') && !'()"'.includes(q[j] ?? '')) j++;
  return j;
}

export function lexQuery(q: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] ?? '';
    if (SPACE.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c === '(' ? 'lparen' : 'rparen', at: i++ });
    } else if (c === '"') {
      const close = q.indexOf('"', i + 1);
      if (close < 0) throw new QueryError('Unclosed quote', q, i);
      out.push({ t: 'phrase', text: q.slice(i + 1, close), at: i + 1 });
      i = close + 1;
    } else if (
      c === '-' &&
      i + 1 < q.length &&
      !SPACE.test(q[i + 1] ?? '') &&
      (i === 0 || /[\s(]/.test(q[i - 1] ?? ''))
    ) {
      out.push({ t: 'minus', at: i++ });
    } else {
      const end = runEnd(q, i);
      i = lexRun(q, i, end, out);
    }
  }
  out.push({ t: 'eof', at: q.length });
  return out;
}

/** One run of non-space, non-bracket characters; returns where lexing continues. */
function lexRun(q: string, at: number, end: number, out: Lexeme[]): number {
  const text = q.slice(at, end);
  if (text === 'AND' || text === 'OR' || text === 'NOT') {
    out.push({ t: text === 'AND' ? 'and' : text === 'OR' ? 'or' : 'not', at });
    return end;
  }
  if (/^NEAR(?:\/|$)/.test(text)) {
    out.push(nearLexeme(q, text, at));
    return end;
  }
  if (text.startsWith('@')) {
    const name = text.slice(1);
    if (!GROUP_NAME.test(name)) {
      throw new QueryError(
        'A group name is lower-case letters, digits and _ after @: @central_asia',
        q,
        at,
      );
    }
    out.push({ t: 'group', name, at });
    return end;
  }
  const field = /^([A-Za-z]+):/.exec(text);
  if (field) {
    const name = field[1] ?? '';
    if (SCOPES.includes(name)) return lexScope(q, at, name as Scope, out);
    if (!FIELDS.includes(name))
      throw new QueryError(
        `Unknown field ${name}: (use title:, summary:, text:, feed:, site:, author:, category: or lang:)`,
        q,
        at,
      );
    out.push({ t: 'field', field: name as FieldScope, at });
    return at + name.length + 1;
  }
  out.push({ t: 'word', text, at });
  return end;
}

function nearLexeme(q: string, text: string, at: number): Lexeme {
  const unit = text.slice('NEAR/'.length);
  if (text === 'NEAR') return { t: 'near', distance: DEFAULT_NEAR, unit: 'word', at };
  if (unit === 'sentence' || unit === 'paragraph') return { t: 'near', distance: 0, unit, at };
  if (!/^\d{1,6}$/.test(unit)) throw new QueryError(NEAR_USAGE, q, at);
  const distance = Number(unit);
  if (distance < 1 || distance > MAX_NEAR) throw new QueryError(NEAR_USAGE, q, at);
  return { t: 'near', distance, unit: 'word', at };
}

/** `site:un.org`, `author:"Jane Doe"`: the value is the rest of the run, or a quoted string. */
function lexScope(q: string, at: number, scope: Scope, out: Lexeme[]): number {
  const from = at + scope.length + 1;
  let value: string;
  let end: number;
  if (q[from] === '"') {
    const close = q.indexOf('"', from + 1);
    if (close < 0) throw new QueryError('Unclosed quote', q, from);
    value = q.slice(from + 1, close).trim();
    end = close + 1;
  } else {
    end = runEnd(q, from);
    value = q.slice(from, end);
  }
  if (value === '')
    throw new QueryError(`${scope}: needs a value right after it: ${SCOPE_EXAMPLE[scope]}`, q, at);
  if (!/[\p{L}\p{N}]/u.test(value))
    throw new QueryError(`${scope}: needs a value with letters: ${SCOPE_EXAMPLE[scope]}`, q, at);
  if (scope === 'lang' && !/^[A-Za-z]{2,3}$/.test(value))
    throw new QueryError('lang: takes a two-letter language code: lang:en, lang:ru', q, at);
  out.push({ t: 'scope', scope, value, at });
  return end;
}

const SCOPE_EXAMPLE: Record<Scope, string> = {
  feed: 'feed:trend-central-asia',
  site: 'site:un.org',
  author: 'author:"Jane Doe"',
  category: 'category:Security',
  lang: 'lang:ru',
};
