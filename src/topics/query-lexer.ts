/**
 * Splits a topic query into lexemes for the parser (query-parser.ts documents the language).
 * Words are left as written; the shared tokenizer normalises them when the parser builds terms.
 */
import { QueryError } from '../errors';
import type { FieldScope } from './ast';

export type Lexeme =
  | { t: 'word' | 'phrase'; text: string; at: number }
  | { t: 'group'; name: string; at: number }
  | { t: 'field'; field: FieldScope; at: number }
  | { t: 'near'; distance: number; at: number }
  | { t: 'and' | 'or' | 'not' | 'minus' | 'lparen' | 'rparen' | 'eof'; at: number };

/** NEAR without /n. */
const DEFAULT_NEAR = 10;
const FIELDS: readonly string[] = ['title', 'summary', 'text'] satisfies FieldScope[];
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
    const m = /^NEAR(?:\/(\d{1,3}))?$/.exec(text);
    if (!m) throw new QueryError('NEAR takes a distance in words: NEAR/5', q, at);
    const distance = m[1] === undefined ? DEFAULT_NEAR : Number(m[1]);
    if (distance < 1) throw new QueryError('NEAR distance must be at least 1', q, at);
    out.push({ t: 'near', distance, at });
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
    if (!FIELDS.includes(name))
      throw new QueryError(`Unknown field ${name}: (use title:, summary: or text:)`, q, at);
    out.push({ t: 'field', field: name as FieldScope, at });
    return at + name.length + 1;
  }
  out.push({ t: 'word', text, at });
  return end;
}
