/**
 * Evaluates a parsed `Expect:` expression against values supplied by a mapping (see mapping.ts).
 * Python semantics where the tests rely on them: `==` is deep, comparisons chain, a missing key
 * is a KeyError (the expectation fails), tuples and lists compare alike. Two kinds of failure are
 * thrown rather than returned: OutOfScope (the expression asks for something the bot does not
 * keep: the conjunct is not judged) and Missing (a KeyError/IndexError: the conjunct fails).
 */
import type { Expr } from './expression';

/** The expression asks for something the bot does not keep; `what` says which. */
export class OutOfScope extends Error {
  constructor(readonly what: string) {
    super(`out of scope: ${what}`);
  }
}

/** A Python KeyError or IndexError. */
export class Missing extends Error {}

/** A field value that compares by its own rule (plain text against HTML, say). */
export interface Compared {
  readonly value: string;
  equals(other: unknown): boolean;
}

/** A dict-like value whose keys are looked up on demand, so that unknown keys can be refused. */
export interface Lookup {
  get(key: string | number): unknown;
  has(key: string): boolean;
}

export type Value = unknown;

export function isCompared(v: unknown): v is Compared {
  return typeof v === 'object' && v !== null && 'equals' in v && 'value' in v;
}

export function isLookup(v: unknown): v is Lookup {
  return typeof v === 'object' && v !== null && 'get' in v && 'has' in v && !isCompared(v);
}

function plain(v: Value): Value {
  return isCompared(v) ? v.value : v;
}

export function equal(a: Value, b: Value): boolean {
  if (isCompared(a)) return a.equals(plain(b));
  if (isCompared(b)) return b.equals(a);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isLookup(a) && b && typeof b === 'object' && !Array.isArray(b))
    return Object.entries(b).every(([k, v]) => a.has(k) && equal(a.get(k), v));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a))
    return (
      Object.keys(a).length === Object.keys(b).length &&
      Object.entries(a).every(([k, v]) => equal(v, (b as Record<string, unknown>)[k]))
    );
  return a === b;
}

export function truthy(v: Value): boolean {
  const p = plain(v);
  if (Array.isArray(p)) return p.length > 0;
  if (typeof p === 'string') return p !== '';
  return !!p;
}

function index(obj: Value, key: Value): Value {
  const k = plain(key);
  if (isLookup(obj)) {
    if (typeof k !== 'string' && typeof k !== 'number') throw new Missing(`bad key ${String(k)}`);
    return obj.get(k);
  }
  const target = plain(obj);
  if ((Array.isArray(target) || typeof target === 'string') && typeof k === 'number') {
    const i = k < 0 ? target.length + k : k;
    if (i < 0 || i >= target.length) throw new Missing(`index ${k} out of range`);
    return target[i];
  }
  if (target && typeof target === 'object' && typeof k === 'string' && k in target)
    return (target as Record<string, unknown>)[k];
  throw new Missing(`no ${String(k)}`);
}

function contains(container: Value, item: Value): boolean {
  const c = plain(container);
  if (typeof c === 'string') return c.includes(String(plain(item)));
  if (Array.isArray(c)) return c.some((x) => equal(x, item));
  if (isLookup(container)) return typeof item === 'string' && container.has(item);
  throw new Missing('"in" on a value that holds nothing');
}

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  len: ([v]) => {
    const p = plain(v);
    if (typeof p === 'string' || Array.isArray(p)) return p.length;
    throw new Missing('len() of a value without a length');
  },
  ord: ([v]) => {
    const p = plain(v);
    if (typeof p !== 'string' || [...p].length !== 1) throw new Missing('ord() of a non-character');
    return p.codePointAt(0);
  },
};

function compare(op: string, a: Value, b: Value): boolean {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case 'is':
      return plain(a) === plain(b);
    case 'is not':
      return plain(a) !== plain(b);
    case 'in':
      return contains(b, a);
    case 'not in':
      return !contains(b, a);
  }
  throw new OutOfScope(`operator ${op}`);
}

/** Evaluates `e`; `names` resolves the free names (`entries`, `feed`, `bozo`, …). */
export function evaluate(e: Expr, names: (name: string) => Value): Value {
  const ev = (x: Expr) => evaluate(x, names);
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'name':
      return names(e.v);
    case 'seq':
      return e.items.map(ev);
    case 'dict':
      return Object.fromEntries(e.entries.map(([k, v]) => [String(plain(ev(k))), ev(v)]));
    case 'index':
      return index(ev(e.obj), ev(e.key));
    case 'attr': {
      const obj = ev(e.obj);
      // feedparser's dicts answer attribute access as key lookup, and have get/has_key.
      if (e.name === 'get' || e.name === 'has_key')
        return { method: e.name, obj } satisfies BoundMethod;
      return index(obj, e.name);
    }
    case 'call':
      return call(e, names);
    case 'not':
      return !truthy(ev(e.x));
    case 'neg': {
      const v = plain(ev(e.x));
      if (typeof v !== 'number') throw new Missing('unary minus on a non-number');
      return -v;
    }
    case 'add': {
      const l = plain(ev(e.l));
      const r = plain(ev(e.r));
      if (typeof l === 'string' && typeof r === 'string') return l + r;
      if (typeof l === 'number' && typeof r === 'number') return l + r;
      throw new Missing('+ on mixed types');
    }
    case 'bool': {
      for (const x of e.xs) {
        const v = truthy(ev(x));
        if (e.op === 'and' ? !v : v) return v;
      }
      return e.op === 'and';
    }
    case 'cmp': {
      let left = ev(e.xs[0]!);
      for (let i = 0; i < e.ops.length; i++) {
        const right = ev(e.xs[i + 1]!);
        if (!compare(e.ops[i]!, left, right)) return false;
        left = right;
      }
      return true;
    }
  }
}

interface BoundMethod {
  method: 'get' | 'has_key';
  obj: Value;
}

function call(e: Extract<Expr, { t: 'call' }>, names: (name: string) => Value): Value {
  const args = e.args.map((a) => evaluate(a, names));
  if (e.fn.t === 'name') {
    const fn = FUNCTIONS[e.fn.v];
    if (!fn) throw new OutOfScope(`function ${e.fn.v}()`);
    return fn(args);
  }
  const bound = evaluate(e.fn, names) as BoundMethod;
  if (typeof bound !== 'object' || bound === null || !('method' in bound))
    throw new OutOfScope('call of a value that is not a function');
  const key = String(plain(args[0]));
  try {
    const v = index(bound.obj, key);
    return bound.method === 'has_key' ? true : v;
  } catch (error) {
    if (!(error instanceof Missing)) throw error;
    return bound.method === 'has_key' ? false : (args[1] ?? null);
  }
}
