/**
 * Why a query did or did not match an item, clause by clause: each clause as written, whether it
 * held, and what the item has for it — the words found for a term or @group, how close a NEAR's
 * sides came ("UN … terrorism: 31 words apart; NEAR/12 needs ≤ 12"), a scope's value in the item.
 * What `briefing match --explain`, `briefing topic test` and `/topic test` show for misses, so an
 * admin can see which clause to fix.
 *
 * The query is compiled once per explainer and each clause evaluated with the matcher's own
 * Evaluation (evaluate.ts), so an explanation can never disagree with what the matcher did.
 */
import type { NearUnit, QueryNode, Scope } from './ast';
import { LeafBuilder, lookUpFirstWords, SCOPE_MASK, toCNode } from './compile';
import { indexDoc, LookedUp } from './doc-index';
import { ALL_FIELDS, type CNode, Evaluation, type Evidence, gap, type Span } from './evaluate';
import { queryText } from './query-text';
import { ItemFacts } from './scope';
import type { Groups } from './schema';
import type { MatchDoc } from '../domain/match';

export interface Clause {
  kind: QueryNode['type'];
  /** As a query writes it: `@un NEAR/12 @counter_terrorism`. */
  text: string;
  held: boolean;
  /** What the item has for this clause; '' for AND, OR and field: (their clauses say it). */
  detail: string;
  clauses: Clause[];
}

export interface ClauseExplainer {
  explain(doc: MatchDoc): Clause;
}

interface Plan {
  node: QueryNode;
  text: string;
  compiled: CNode;
  kids: Plan[];
}

/** Words of a clause's finds shown, and spans compared when looking for a NEAR's closest pair. */
const SHOWN_WORDS = 4;
const MAX_SPANS = 500;

/** `query` must have parsed (it is a saved topic's, or was just checked). */
export function clauseExplainer(root: QueryNode, query: string, groups: Groups): ClauseExplainer {
  const leaves = new LeafBuilder(groups);
  const words = new LookedUp();
  const plan = (node: QueryNode, mask: number): Plan => {
    const compiled = toCNode(node, mask, leaves, query);
    lookUpFirstWords(compiled, words);
    const text = queryText(node);
    switch (node.type) {
      case 'and':
      case 'or':
        return { node, text, compiled, kids: node.children.map((c) => plan(c, mask)) };
      case 'not':
        return { node, text, compiled, kids: [plan(node.child, mask)] };
      case 'near':
        return { node, text, compiled, kids: [plan(node.left, mask), plan(node.right, mask)] };
      case 'field':
        return { node, text, compiled, kids: [plan(node.child, SCOPE_MASK[node.field])] };
      default:
        return { node, text, compiled, kids: [] };
    }
  };
  const top = plan(root, ALL_FIELDS);
  return {
    explain(doc) {
      const evaluation = new Evaluation(indexDoc(doc, words));
      return explainPlan(top, evaluation, new ItemFacts(doc));
    },
  };
}

function explainPlan(p: Plan, ev: Evaluation, facts: ItemFacts): Clause {
  const evidence = ev.evaluate(p.compiled);
  const held = evidence !== null;
  const clauses = p.kids.map((k) => explainPlan(k, ev, facts));
  const { node } = p;
  let detail = '';
  if (node.type === 'term' || node.type === 'group')
    detail = held ? foundWords(evidence, ev) : 'not found';
  else if (node.type === 'not' && !held)
    detail = `found ${foundWords(ev.evaluate(p.kids[0]?.compiled as CNode) ?? [], ev)}`;
  else if (node.type === 'near' && p.compiled.op === 'near')
    detail = nearDetail(p.compiled, node.unit, ev, held);
  else if (node.type === 'scope') detail = scopeDetail(node.scope, facts);
  return { kind: node.type, text: p.text, held, detail, clauses };
}

function foundWords(evidence: Evidence[], ev: Evaluation): string {
  const words = new Set(evidence.flatMap((e) => e.spans.map((s) => ev.wordsAt(s))));
  const shown = [...words].slice(0, SHOWN_WORDS).join(', ');
  return words.size > SHOWN_WORDS ? `${shown}, …` : shown;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

function nearDetail(
  node: Extract<CNode, { op: 'near' }>,
  unit: NearUnit,
  ev: Evaluation,
  held: boolean,
): string {
  const left = ev.evaluate(node.a);
  const right = ev.evaluate(node.b);
  if (!left || !right) return 'needs both sides';
  const at = ev.unit(unit);
  const spans = (e: Evidence[]) => e.flatMap((x) => x.spans).slice(0, MAX_SPANS);
  let best: { l: Span; r: Span; d: number } | undefined;
  for (const l of spans(left))
    for (const r of spans(right)) {
      if (l.field !== r.field) continue;
      const d = Math.max(0, gap(l, r, at));
      if (!best || d < best.d) best = { l, r, d };
    }
  if (!best) return 'never in the same field (title, description or body)';
  const pair = `${ev.wordsAt(best.l)} … ${ev.wordsAt(best.r)}`;
  const apart =
    unit === 'word'
      ? `${plural(best.d, 'word')} apart`
      : best.d === 0
        ? `in one ${unit}`
        : `${plural(best.d, unit)} apart`;
  if (held) return `${pair}: ${apart}`;
  const needs =
    unit === 'word' ? `NEAR/${node.n} needs ≤ ${node.n}` : `NEAR/${unit} needs one ${unit}`;
  return `${pair}: ${apart}; ${needs}`;
}

function scopeDetail(scope: Scope, f: ItemFacts): string {
  const none = '(none)';
  switch (scope) {
    case 'feed':
      return `the item's feed is ${f.doc.feedId ?? none}`;
    case 'site':
      return `the item's site is ${f.host ?? none}`;
    case 'author':
      return `the item's author is ${f.doc.author ?? none}`;
    case 'category':
      return `the item's categories are ${f.doc.categories?.join(', ') || none}`;
    case 'lang':
      return `the item's language is ${f.lang ?? 'unknown'}${f.doc.lang?.trim() ? '' : ' (detected)'}`;
  }
}

/** The clauses that made a query fail, innermost that still say why: the line a near miss gets. */
export function failedClauses(c: Clause): Clause[] {
  if (c.held) return [];
  if (c.detail === '' && c.clauses.length > 0) return c.clauses.flatMap(failedClauses);
  return [c];
}

/** One line: `@un NEAR/12 @counter_terrorism: UN … terrorism: 31 words apart; NEAR/12 needs ≤ 12`. */
export function whyNot(c: Clause): string {
  return failedClauses(c)
    .map((f) => `${f.text}: ${f.detail}`)
    .join(' · ');
}

/**
 * How close an item came to matching, from 0 (nothing of the query) to 1 (matched): an AND counts
 * its parts, an OR its best alternative, a NEAR whose sides are both there but too far apart 0.8.
 */
export function closeness(c: Clause): number {
  if (c.held) return 1;
  switch (c.kind) {
    case 'and':
      return c.clauses.reduce((sum, k) => sum + closeness(k), 0) / Math.max(1, c.clauses.length);
    case 'or':
      return Math.max(0, ...c.clauses.map(closeness));
    case 'near':
      return 0.4 * c.clauses.reduce((sum, k) => sum + closeness(k), 0);
    case 'field':
      return c.clauses[0] ? closeness(c.clauses[0]) : 0;
    default:
      return 0;
  }
}

/** The clause tree as indented lines: `✓ @central_asia: Kazakhstan`, `✗ @un_ct: not found`. */
export function renderClauses(c: Clause, indent = ''): string[] {
  const line = `${indent}${c.held ? '✓' : '✗'} ${c.text}${c.detail ? `: ${c.detail}` : ''}`;
  return [line, ...c.clauses.flatMap((k) => renderClauses(k, `${indent}  `))];
}
