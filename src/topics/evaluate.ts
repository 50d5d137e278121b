/**
 * Evaluates compiled topic trees against one item's DocIndex. A node's result is the evidence it
 * matched on (which terms, at which positions) or null when it does not match; a satisfied NOT
 * contributes no evidence. Leaf lookups are memoised per item, so a group shared by many topics
 * is looked up once.
 */
import type { NearUnit } from './ast';
import type { DocIndex } from './doc-index';
import { ItemFacts } from './scope';
import type { Token } from './tokenize';
import type { Field } from '../domain/match';

export const FIELD_BITS: Record<Field, number> = { title: 1, description: 2, text: 4 };
export const ALL_FIELDS = 7;

/** One word of a compiled term: a stemmed key (all-caps words also need that exact norm), or a prefix. */
export type Pattern =
  | { kind: 'word'; key: string; caps: string | null }
  | { kind: 'prefix'; prefix: string };

/** A term or phrase as compiled, with what an explanation says about it. */
export interface Leaf {
  /** Equal pattern sequences share one `sig`, and so one lookup per item. */
  sig: number;
  patterns: Pattern[];
  /** As written in the query or group: `UN Counter-Terrorism Office`. */
  term: string;
  group?: string;
}

export type CNode =
  | { op: 'leaf'; leaf: Leaf; mask: number }
  | { op: 'and'; kids: CNode[] }
  /** `shared`: one node for every use of a group (with the same scope), evaluated once per item. */
  | { op: 'or'; kids: CNode[]; shared?: boolean }
  | { op: 'not'; kid: CNode }
  /** `n` words apart at most, or (unit sentence/paragraph, n 0) in one sentence or paragraph. */
  | { op: 'near'; a: CNode; b: CNode; n: number; unit: NearUnit }
  /** Holds or not, on what the item is (scope.ts); contributes no evidence, like a NOT. */
  | { op: 'scope'; test: (facts: ItemFacts) => boolean };

/** Token positions `start..end` (inclusive) in one field. */
export interface Span {
  field: Field;
  start: number;
  end: number;
}

export interface Evidence {
  leaf: Leaf;
  spans: Span[];
}

function fits(p: Pattern, t: Token): boolean {
  if (p.kind === 'prefix') return t.norm.startsWith(p.prefix);
  return t.key === p.key && (p.caps === null || (t.caps && t.norm === p.caps));
}

/** Maps a token position to the unit NEAR counts in: itself, or its sentence or paragraph. */
export type Coordinate = (pos: number) => number;

/** How far apart two spans are in a coordinate: 0 or less when they overlap. */
export function gap(a: Span, b: Span, at: Coordinate): number {
  return Math.max(at(a.start), at(b.start)) - Math.min(at(a.end), at(b.end));
}

/**
 * `mine` with only the spans within n units of one of `theirs` in the same field. Their spans are
 * sorted and binary-searched, so an item repeating both sides many times stays cheap. Coordinates
 * grow with positions, so the search bounds hold in any unit.
 */
function closeTo(mine: Evidence[], theirs: Evidence[], n: number, at: Coordinate): Evidence[] {
  const others = theirs.flatMap((e) => e.spans).sort((x, y) => x.start - y.start);
  const longest = others.reduce((m, o) => Math.max(m, at(o.end) - at(o.start)), 0);
  return mine
    .map((e) => ({
      leaf: e.leaf,
      spans: e.spans.filter((s) => hasPartner(s, others, longest, n, at)),
    }))
    .filter((e) => e.spans.length > 0);
}

/** Whether one of `others` (sorted, none longer than `longest`) is within n units of `s`. */
function hasPartner(s: Span, others: Span[], longest: number, n: number, at: Coordinate): boolean {
  let lo = 0;
  let hi = others.length;
  const from = at(s.start) - n - longest; // no earlier-starting span can end within reach
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at((others[mid] as Span).start) < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < others.length; i++) {
    const o = others[i] as Span;
    if (at(o.start) > at(s.end) + n) return false;
    if (o.field === s.field && gap(s, o, at) <= n) return true;
  }
  return false;
}

export class Evaluation {
  /**
   * Spans by leaf `sig`. Sigs are small dense numbers, so an array (sized for them up front, so
   * that V8 keeps it one): an item's candidate topics look up every entry of their groups, most of
   * them absent from the item, and a Map's hashing was most of what such a lookup cost.
   */
  private readonly memo: Array<Span[] | undefined>;
  /** Results of shared group nodes: with 1,000 topics on 20 groups, most evaluations are repeats. */
  private readonly groups = new Map<CNode, Evidence[] | null>();
  private facts: ItemFacts | undefined;
  private readonly units: Record<NearUnit, Coordinate>;
  /** `sigs`: how many leaf sigs the compiled queries have (LeafBuilder.sigCount), if known. */
  constructor(
    private readonly doc: DocIndex,
    sigs = 0,
  ) {
    this.memo = new Array(sigs);
    const { tokens } = doc;
    this.units = {
      word: (pos) => pos,
      sentence: (pos) => (tokens[pos] as Token).sent,
      paragraph: (pos) => (tokens[pos] as Token).para,
    };
  }

  /** The coordinate NEAR counts in for a unit. */
  unit(unit: NearUnit): Coordinate {
    return this.units[unit];
  }

  evaluate(node: CNode): Evidence[] | null {
    switch (node.op) {
      case 'leaf': {
        const all = this.spans(node.leaf);
        const spans =
          node.mask === ALL_FIELDS
            ? all
            : all.filter((s) => (FIELD_BITS[s.field] & node.mask) !== 0);
        return spans.length > 0 ? [{ leaf: node.leaf, spans }] : null;
      }
      case 'and': {
        const out: Evidence[] = [];
        for (const kid of node.kids) {
          const r = this.evaluate(kid);
          if (!r) return null;
          out.push(...r);
        }
        return out;
      }
      case 'or': {
        if (node.shared) {
          const known = this.groups.get(node);
          if (known !== undefined) return known;
        }
        // Every alternative is evaluated so the explanation lists all that matched.
        let out: Evidence[] | null = null;
        for (const kid of node.kids) {
          const r = this.evaluate(kid);
          if (r) (out ??= []).push(...r);
        }
        if (node.shared) this.groups.set(node, out);
        return out;
      }
      case 'not':
        return this.evaluate(node.kid) ? null : [];
      case 'near':
        return this.near(node.a, node.b, node.n, this.units[node.unit]);
      case 'scope':
        this.facts ??= new ItemFacts(this.doc.doc);
        return node.test(this.facts) ? [] : null;
    }
  }

  /**
   * The evidence of each conjunct of a top-level AND (or of the whole query), so an explanation
   * can name one reason per required part.
   */
  evaluateParts(root: CNode): Evidence[][] | null {
    const parts: Evidence[][] = [];
    for (const part of root.op === 'and' ? root.kids : [root]) {
      const r = this.evaluate(part);
      if (!r) return null;
      parts.push(r);
    }
    return parts;
  }

  /** The words of the item at a span, as written: what a prefix term actually matched. */
  wordsAt(span: Span): string {
    return this.doc.tokens
      .slice(span.start, span.end + 1)
      .map((t) => t.raw)
      .join(' ');
  }

  /** Both sides match, keeping only the spans that have a partner within n units in the same field. */
  private near(a: CNode, b: CNode, n: number, at: Coordinate): Evidence[] | null {
    const left = this.evaluate(a);
    const right = left && this.evaluate(b);
    if (!left || !right) return null;
    const keptLeft = closeTo(left, right, n, at);
    return keptLeft.length > 0 ? [...keptLeft, ...closeTo(right, left, n, at)] : null;
  }

  /** Where a leaf's words occur in sequence within one field, any field. */
  private spans(leaf: Leaf): Span[] {
    const cached = this.memo[leaf.sig];
    if (cached) return cached;
    const { patterns } = leaf;
    const first = patterns[0];
    const { tokens, byKey, byPrefix } = this.doc;
    const starts = !first
      ? undefined
      : first.kind === 'word'
        ? byKey.get(first.key)
        : byPrefix.get(first.prefix);
    const spans: Span[] = [];
    if (!first || !starts) {
      this.memo[leaf.sig] = spans;
      return spans;
    }
    // Plain loops: this runs for every word of every leaf an item's candidate topics name.
    for (const pos of starts) {
      const head = tokens[pos];
      if (!head || !fits(first, head)) continue;
      let ok = true;
      for (let i = 1; ok && i < patterns.length; i++) {
        const t = tokens[pos + i];
        ok = t !== undefined && t.field === head.field && fits(patterns[i] as Pattern, t);
      }
      if (ok) spans.push({ field: head.field, start: pos, end: pos + patterns.length - 1 });
    }
    this.memo[leaf.sig] = spans;
    return spans;
  }
}
