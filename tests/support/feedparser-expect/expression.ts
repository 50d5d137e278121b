/**
 * A parser for the small part of Python that feedparser's test files use in their `Expect:`
 * lines, so that they can be judged without running Python and without `eval`. Grammar, loosest
 * binding first:
 *
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | compare
 *   compare := sum (('==' | '!=' | 'is' | 'is not' | 'in' | 'not in') sum)*   (chained, as Python)
 *   sum     := unary ('+' unary)*
 *   unary   := '-' unary | postfix
 *   postfix := atom ('[' or ']' | '.' name | '(' args ')')*
 *   atom    := string | number | name | '(' tuple ')' | '[' list ']' | '{' dict '}'
 *
 * Strings take Python's prefixes (u, b, r) and quotes (' " ''' """) and its escapes. Anything
 * else is a SyntaxError, which the caller reports as "not in the supported subset".
 */
export type Expr =
  | { t: 'lit'; v: string | number | boolean | null }
  | { t: 'name'; v: string }
  | { t: 'seq'; items: Expr[] }
  | { t: 'dict'; entries: Array<[Expr, Expr]> }
  | { t: 'index'; obj: Expr; key: Expr }
  | { t: 'attr'; obj: Expr; name: string }
  | { t: 'call'; fn: Expr; args: Expr[] }
  | { t: 'not'; x: Expr }
  | { t: 'neg'; x: Expr }
  | { t: 'add'; l: Expr; r: Expr }
  | { t: 'bool'; op: 'and' | 'or'; xs: Expr[] }
  | { t: 'cmp'; ops: string[]; xs: Expr[] };

type Token = { k: 'str' | 'num' | 'name' | 'op'; v: string };

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
};

function pythonUnescape(body: string, raw: boolean): string {
  if (raw) return body;
  return body.replace(
    /\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|\n|.)/g,
    (_, e: string) => {
      if (/^[uUx]/.test(e) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
      if (e === '\n') return '';
      return ESCAPES[e] ?? `\\${e}`;
    },
  );
}

const TOKEN =
  /\s*(?:([ubrUBR]{0,2})('''[\s\S]*?'''|"""[\s\S]*?"""|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")|(\d+(?:\.\d+)?)|([A-Za-z_]\w*)|(==|!=|[-+()[\]{}.,:]))/y;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new SyntaxError(`unexpected character at ${at}: ${source.slice(at, at + 10)}`);
    if (m[2] !== undefined) {
      const quote = m[2].startsWith("'''") || m[2].startsWith('"""') ? 3 : 1;
      tokens.push({
        k: 'str',
        v: pythonUnescape(m[2].slice(quote, -quote), /r/i.test(m[1] ?? '')),
      });
    } else if (m[3] !== undefined) tokens.push({ k: 'num', v: m[3] });
    else if (m[4] !== undefined) tokens.push({ k: 'name', v: m[4] });
    else tokens.push({ k: 'op', v: m[5]! });
  }
  return tokens;
}

const CONSTANTS: Record<string, boolean | null> = { True: true, False: false, None: null };

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    const e = this.or();
    if (this.i < this.tokens.length) throw new SyntaxError(`unexpected ${this.peek()?.v}`);
    return e;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private accept(v: string): boolean {
    const t = this.peek();
    if (t && (t.k === 'op' || t.k === 'name') && t.v === v) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(v: string): void {
    if (!this.accept(v)) throw new SyntaxError(`expected ${v}, found ${this.peek()?.v ?? 'end'}`);
  }

  private or(): Expr {
    return this.bool('or', () => this.and());
  }

  private and(): Expr {
    return this.bool('and', () => this.not());
  }

  private bool(op: 'and' | 'or', next: () => Expr): Expr {
    const xs = [next()];
    while (this.accept(op)) xs.push(next());
    return xs.length === 1 ? xs[0]! : { t: 'bool', op, xs };
  }

  private not(): Expr {
    return this.accept('not') ? { t: 'not', x: this.not() } : this.compare();
  }

  private compareOp(): string | undefined {
    for (const op of ['==', '!=', 'in']) if (this.accept(op)) return op;
    if (this.accept('is')) return this.accept('not') ? 'is not' : 'is';
    if (this.peek()?.v === 'not' && this.peek(1)?.v === 'in') {
      this.i += 2;
      return 'not in';
    }
    return undefined;
  }

  private compare(): Expr {
    const xs = [this.sum()];
    const ops: string[] = [];
    for (let op = this.compareOp(); op !== undefined; op = this.compareOp()) {
      ops.push(op);
      xs.push(this.sum());
    }
    return ops.length === 0 ? xs[0]! : { t: 'cmp', ops, xs };
  }

  private sum(): Expr {
    let l = this.unary();
    while (this.accept('+')) l = { t: 'add', l, r: this.unary() };
    return l;
  }

  private unary(): Expr {
    return this.accept('-') ? { t: 'neg', x: this.unary() } : this.postfix();
  }

  private postfix(): Expr {
    let e = this.atom();
    for (;;) {
      if (this.accept('[')) {
        e = { t: 'index', obj: e, key: this.or() };
        this.expect(']');
      } else if (this.accept('.')) {
        const name = this.peek();
        if (name?.k !== 'name') throw new SyntaxError('expected a name after "."');
        this.i++;
        e = { t: 'attr', obj: e, name: name.v };
      } else if (this.accept('(')) {
        e = { t: 'call', fn: e, args: this.list(')') };
      } else return e;
    }
  }

  private list(close: string): Expr[] {
    const items: Expr[] = [];
    while (!this.accept(close)) {
      items.push(this.or());
      if (!this.accept(',')) {
        this.expect(close);
        break;
      }
    }
    return items;
  }

  private atom(): Expr {
    const t = this.peek();
    if (!t) throw new SyntaxError('unexpected end');
    this.i++;
    if (t.k === 'str') {
      let v = t.v;
      // Adjacent literals concatenate, as in Python.
      while (this.peek()?.k === 'str') v += this.tokens[this.i++]!.v;
      return { t: 'lit', v };
    }
    if (t.k === 'num') return { t: 'lit', v: Number(t.v) };
    if (t.k === 'name')
      return t.v in CONSTANTS ? { t: 'lit', v: CONSTANTS[t.v]! } : { t: 'name', v: t.v };
    if (t.v === '(') {
      const items = this.list(')');
      return items.length === 1 && this.tokens[this.i - 2]?.v !== ','
        ? items[0]!
        : { t: 'seq', items };
    }
    if (t.v === '[') return { t: 'seq', items: this.list(']') };
    if (t.v === '{') return this.dict();
    throw new SyntaxError(`unexpected ${t.v}`);
  }

  private dict(): Expr {
    const entries: Array<[Expr, Expr]> = [];
    while (!this.accept('}')) {
      const key = this.or();
      this.expect(':');
      entries.push([key, this.or()]);
      if (!this.accept(',')) {
        this.expect('}');
        break;
      }
    }
    return { t: 'dict', entries };
  }
}

/** Parses one Python expression of the supported subset; throws SyntaxError otherwise. */
export function parseExpression(source: string): Expr {
  return new Parser(tokenize(source)).parse();
}
