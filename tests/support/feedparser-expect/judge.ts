/**
 * Judges one feedparser test file: reads its `Expect:` line, splits it into its top-level `and`
 * conjuncts, and evaluates each against the bot's items. A conjunct that asks for something out
 * of scope (mapping.ts) is not judged; one that is in scope passes or fails, and is filed under
 * the bot field it concerns.
 */
import type { Item } from '../../../src/domain/item';
import { evaluate, Missing, OutOfScope, truthy, type Value } from './evaluate';
import { type Expr, parseExpression } from './expression';
import { entryView, FIELD_OF } from './mapping';

export type Verdict =
  | { kind: 'pass' | 'fail'; field: string; conjunct: string; why?: string }
  | { kind: 'out-of-scope'; what: string };

/** The expectation of a feedparser test file (the `Expect:` of its first comment). */
export function expectationOf(text: string): string | undefined {
  const head = text.slice(0, 4096);
  const m = /Expect:\s*([\s\S]*?)\s*(?:-->|\n\s*\n|$)/.exec(head);
  return m?.[1]?.replace(/\s*\n\s*/g, ' ').trim() || undefined;
}

/** Source text of each top-level `and` operand, for the report. */
function conjuncts(source: string, e: Expr): Array<{ text: string; expr: Expr }> {
  if (e.t !== 'bool' || e.op !== 'and') return [{ text: source, expr: e }];
  const parts = source.split(/\s+and\s+/);
  // Splitting the text is only for display; when a string holds " and " fall back to indexes.
  return e.xs.map((expr, i) => ({
    text: parts.length === e.xs.length ? parts[i]! : `#${i + 1}`,
    expr,
  }));
}

/**
 * An item with every kept field set: evaluating a conjunct against it says whether the conjunct
 * is in scope and which field it concerns, whatever the bot made of the file (even nothing).
 */
const PROBE: Item = {
  key: 'probe',
  storyKey: 'probe',
  feedId: 'probe',
  guid: 'probe',
  link: 'https://probe.example/',
  title: 'probe',
  description: 'probe',
  text: 'probe',
  author: 'probe',
  categories: ['probe', 'probe', 'probe'],
  publishedAt: '2000-01-01T00:00:00.000Z',
  fetchedAt: '2000-01-01T00:00:00.000Z',
  image: 'https://probe.example/probe.png',
};

function run(expr: Expr, items: Item[], fields: string[]): Value {
  const entries = items.map((item) => entryView(item, (key) => fields.push(FIELD_OF[key] ?? key)));
  return evaluate(expr, (name) => {
    if (name === 'entries') return entries;
    throw new OutOfScope(name);
  });
}

/** The conjunct's field, or why it is out of scope. */
function scopeOf(expr: Expr): { field: string } | { what: string } {
  const fields: string[] = [];
  try {
    run(expr, [PROBE, PROBE, PROBE], fields);
  } catch (error) {
    if (error instanceof OutOfScope) return { what: error.what };
    if (!(error instanceof Missing)) throw error;
  }
  // `Expect: 1`, `len(entries) == 2`: nothing about an entry's fields.
  return fields[0] === undefined ? { what: 'no entry field' } : { field: fields[0] };
}

/** `refusal` is the FeedError message when the bot refused the file (it then has no entries). */
export function judge(expectation: string, items: Item[], refusal?: string): Verdict[] {
  let expr: Expr;
  try {
    expr = parseExpression(expectation);
  } catch (error) {
    return [
      {
        kind: 'out-of-scope',
        what: `syntax outside the supported subset (${(error as Error).message})`,
      },
    ];
  }
  return conjuncts(expectation, expr).map(({ text, expr: part }): Verdict => {
    const scope = scopeOf(part);
    if ('what' in scope) return { kind: 'out-of-scope', what: scope.what };
    const { field } = scope;
    try {
      const ok = truthy(run(part, items, []));
      return ok
        ? { kind: 'pass', field, conjunct: text }
        : { kind: 'fail', field, conjunct: text, why: refusal };
    } catch (error) {
      if (error instanceof Missing)
        return { kind: 'fail', field, conjunct: text, why: refusal ?? error.message };
      if (error instanceof OutOfScope) return { kind: 'out-of-scope', what: error.what };
      throw error;
    }
  });
}
