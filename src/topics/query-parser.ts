/**
 * The topic query language: a recursive-descent parser from query text to the AST in ast.ts.
 *
 * Grammar (operators are UPPER CASE; lower-case and/or/not are ordinary words):
 *
 *   query   := or
 *   or      := and ( "OR" and )*
 *   and     := near ( ["AND"] near )*          juxtaposition is an implicit AND
 *   near    := unary ( "NEAR" ["/" unit] unary )*  left-associative
 *   unit    := n | "sentence" | "paragraph"      n words, 1 to 999, default 10
 *   unary   := ( "NOT" | "-" ) unary | primary  "-" only directly before a term: -water
 *   primary := field ":" primary | scope ":" value | "(" or ")" | '"' phrase '"' | "@" group | word
 *   field   := "title" | "summary" | "text"
 *   scope   := "feed" | "site" | "author" | "category" | "lang"   value: a word or "quoted words"
 *
 * Precedence, tightest first: NOT > NEAR > AND (explicit or implicit) > OR. So
 * `a b OR c` = `(a AND b) OR c`, `@un NEAR/8 @ct @central_asia` = `(@un NEAR/8 @ct) AND @central_asia`,
 * and `NOT a NEAR b` is rejected (a NOT has no position to be near anything).
 *
 * Terms:
 * - A bare word is tokenized by the shared tokenizer (tokenize.ts). A word that tokenizes into
 *   several tokens is a phrase: Counter-Terrorism = "counter terrorism", U.N. = UN, C5+1 = "c5 1".
 * - "quoted words" are a phrase: adjacent, in order, in one field, each word stemmed.
 * - A trailing * makes a prefix of at least 3 letters: terror*, контртеррористическ*. Prefixes
 *   match the unstemmed normalised word and ignore case.
 * - A word of two or more capitals (UN, ООН, UNOCT) matches only words in capitals; any other word
 *   matches in any case. Diacritics never matter (Aşgabat = Ashgabat).
 * - @name is any entry of the named group (config/topics.yaml `groups:`).
 * - title: / summary: / text: restrict the primary after them to the title, title+description, or
 *   everything (the default). An inner field wins over an outer one.
 *
 * NEAR/sentence and NEAR/paragraph: both sides in one sentence, or one paragraph, of one field
 * (tokenize.ts says where sentences and paragraphs end).
 *
 * Scopes filter on what an item is, not what it says: `feed:` its feed id, `site:` its link's host
 * or a parent domain (www. ignored), `author:` and `category:` the value's words in order in the
 * author or in one category, `lang:` its declared language or, when it declares none, the one
 * detected from its text (text/lang.ts).
 *
 * A query must be able to match on what an item contains, not only on what it lacks: `NOT water`
 * or `lang:ru` alone, or a NEAR side that is a NOT or a scope, is an error.
 *
 * Limits: a query is at most MAX_QUERY_LENGTH characters and nests at most MAX_DEPTH deep
 * (brackets, NOT, field prefixes and NEAR chains count alike), so that no query can exhaust the
 * stack of the parser or of the matcher that walks its tree. Every error is a QueryError with the
 * offset.
 */
import { QueryError } from '../errors';
import type { QueryNode, TermNode, TermWord } from './ast';
import { lexQuery, type Lexeme } from './query-lexer';
import { tokenize } from './tokenize';

const MIN_PREFIX = 3;
/** The longest query accepted anywhere (topics.yaml, /topic add, topic test, query --text). */
export const MAX_QUERY_LENGTH = 4000;
/** Real topics nest three or four deep; this leaves room while keeping recursion shallow. */
export const MAX_DEPTH = 50;

export function parseQuery(query: string): QueryNode {
  if (query.length > MAX_QUERY_LENGTH)
    throw new QueryError(
      `A query is at most ${MAX_QUERY_LENGTH} characters (this one has ${query.length})`,
      query,
      MAX_QUERY_LENGTH,
    );
  const lexemes = lexQuery(query);
  if (lexemes.length === 1) throw new QueryError('Empty query', query, 0);
  const parser = new Parser(query, lexemes);
  const root = parser.parseOr();
  const next = parser.peek();
  if (next.t !== 'eof') {
    throw new QueryError(
      next.t === 'rparen' ? 'Unmatched )' : 'Expected an operator or the end of the query',
      query,
      next.at,
    );
  }
  if (!checkPositive(root, query)) {
    throw new QueryError('A query needs at least one term that is not negated', query, root.offset);
  }
  return root;
}

/**
 * A group entry is one term or phrase in query form, without operators: `Counter-Terrorism Office`
 * (several words are a phrase, quoted or not), `"Global Counter-Terrorism Strategy"`, `terror*`.
 */
export function parseGroupEntry(entry: string): TermNode {
  const trimmed = entry.trim();
  const quoted = /^"[^"]*"$/.test(trimmed);
  const text = quoted ? trimmed.slice(1, -1) : trimmed;
  const at = entry.indexOf(trimmed) + (quoted ? 1 : 0);
  const bad = quoted ? null : /[()@"]|\b(?:AND|OR|NOT|NEAR)\b/.exec(text);
  if (bad) {
    throw new QueryError(
      'A group entry is one term or phrase: operators, @groups and brackets belong in queries',
      entry,
      at + bad.index,
    );
  }
  return termFrom(entry, text, at);
}

function termFrom(query: string, text: string, at: number): TermNode {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new QueryError('Expected a word', query, at);
  const words: TermWord[] = tokens.map((t) => {
    const prefix = text[t.end] === '*';
    if (prefix && t.norm.length < MIN_PREFIX) {
      throw new QueryError(
        `A prefix needs at least ${MIN_PREFIX} letters before *`,
        query,
        at + t.start,
      );
    }
    return {
      raw: t.raw,
      norm: t.norm,
      key: prefix ? t.norm : t.key,
      caps: t.caps && !prefix,
      prefix,
    };
  });
  for (let i = text.indexOf('*'); i >= 0; i = text.indexOf('*', i + 1)) {
    if (!tokens.some((t) => t.end === i))
      throw new QueryError('* must follow a word directly: terror*', query, at + i);
  }
  return { type: 'term', text: text.trim(), words, offset: at };
}

/** Whether a node can only match when one of its own terms is present; throws on NEAR over NOT. */
function checkPositive(node: QueryNode, query: string): boolean {
  switch (node.type) {
    case 'term':
    case 'group':
      return true;
    case 'scope':
      return false;
    case 'field':
      return checkPositive(node.child, query);
    case 'not':
      checkPositive(node.child, query);
      return false;
    case 'and':
      return node.children.map((c) => checkPositive(c, query)).some(Boolean);
    case 'or':
      return node.children.map((c) => checkPositive(c, query)).every(Boolean);
    case 'near':
      for (const side of [node.left, node.right]) {
        if (!checkPositive(side, query))
          throw new QueryError(
            'Each side of NEAR needs a term that is not negated (a scope has no position either)',
            query,
            side.offset,
          );
      }
      return true;
  }
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly query: string,
    private readonly lexemes: Lexeme[],
  ) {}

  peek(): Lexeme {
    return this.lexemes[this.i] ?? { t: 'eof', at: this.query.length };
  }

  private take(): Lexeme {
    const l = this.peek();
    this.i++;
    return l;
  }

  /** One level deeper at lexeme `l`; the caller calls `leave()` when its subtree is built. */
  private enter(l: Lexeme): void {
    if (++this.depth > MAX_DEPTH)
      throw new QueryError(
        `The query nests more than ${MAX_DEPTH} deep (brackets, NOT, NEAR and field: count alike)`,
        this.query,
        l.at,
      );
  }

  private leave(levels = 1): void {
    this.depth -= levels;
  }

  parseOr(): QueryNode {
    const children = [this.parseAnd()];
    while (this.peek().t === 'or') {
      this.take();
      children.push(this.parseAnd());
    }
    return children.length === 1
      ? (children[0] as QueryNode)
      : { type: 'or', children, offset: children[0]?.offset ?? 0 };
  }

  private parseAnd(): QueryNode {
    const children = [this.parseNear()];
    for (;;) {
      const t = this.peek().t;
      if (t === 'and') this.take();
      else if (!['word', 'phrase', 'group', 'field', 'scope', 'lparen', 'not', 'minus'].includes(t))
        break;
      children.push(this.parseNear());
    }
    return children.length === 1
      ? (children[0] as QueryNode)
      : { type: 'and', children, offset: children[0]?.offset ?? 0 };
  }

  /** A chain of NEARs builds a left-deep tree: each link counts as one level. */
  private parseNear(): QueryNode {
    let left = this.parseUnary();
    let links = 0;
    while (this.peek().t === 'near') {
      const op = this.take() as Extract<Lexeme, { t: 'near' }>;
      this.enter(op);
      links++;
      left = {
        type: 'near',
        left,
        right: this.parseUnary(),
        distance: op.distance,
        unit: op.unit,
        offset: left.offset,
      };
    }
    this.leave(links);
    return left;
  }

  private parseUnary(): QueryNode {
    const l = this.peek();
    if (l.t !== 'not' && l.t !== 'minus') return this.parsePrimary();
    this.take();
    this.enter(l);
    const child = this.parseUnary();
    this.leave();
    return { type: 'not', child, offset: l.at };
  }

  private parsePrimary(): QueryNode {
    const l = this.take();
    switch (l.t) {
      case 'field': {
        this.enter(l);
        const child = this.parsePrimary();
        this.leave();
        return { type: 'field', field: l.field, child, offset: l.at };
      }
      case 'scope':
        return { type: 'scope', scope: l.scope, value: l.value, offset: l.at };
      case 'lparen': {
        this.enter(l);
        const inner = this.parseOr();
        if (this.peek().t !== 'rparen')
          throw new QueryError('Missing ) for this (', this.query, l.at);
        this.take();
        this.leave();
        return inner;
      }
      case 'phrase':
      case 'word':
        return termFrom(this.query, l.text, l.at);
      case 'group':
        return { type: 'group', name: l.name, offset: l.at };
      case 'eof':
        throw new QueryError(
          'Expected a term, "phrase", @group or ( at the end of the query',
          this.query,
          l.at,
        );
      default:
        throw new QueryError(
          `Expected a term, "phrase", @group or ( before ${describe(l)}`,
          this.query,
          l.at,
        );
    }
  }
}

function describe(l: Lexeme): string {
  return l.t === 'rparen'
    ? ')'
    : l.t === 'near'
      ? 'NEAR'
      : l.t === 'minus'
        ? '-'
        : l.t.toUpperCase();
}
