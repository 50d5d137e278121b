/**
 * Turns the evidence of a match into a score and an ordered, deduplicated list of hits.
 *
 * Score = Σ over distinct terms of its best field's weight (title 3, description 2, text 1)
 *         + 0.25 per further occurrence (up to 4)
 *         + 1 per distinct group beyond the first (a term outside any group is its own group).
 * A term whose every occurrence lies inside a longer matched phrase (UN inside "UN
 * Counter-Terrorism Office") adds nothing: it is the same mention counted twice.
 *
 * Hits are ordered most informative first. Informativeness is the field weight plus 0.5 per extra
 * word of a phrase (up to 2), earlier first on ties. First comes the best term of each part of the
 * query (each conjunct of a top-level AND: "why" names every required part), then the best term of
 * each group not yet named, then the rest. A term whose words all belong to a longer matched term
 * (UN beside "UN Counter-Terrorism Office") is never picked early.
 * Prefix terms are shown as the word they matched (terror* → terrorists).
 */
import type { Evidence, Leaf, Span } from './evaluate';
import type { Field, Hit } from '../domain/match';

const FIELD_WEIGHT: Record<Field, number> = { title: 3, description: 2, text: 1 };

interface Term {
  leaf: Leaf;
  spans: Span[];
  /** Spans already merged in, by start and length. */
  seen: Set<number>;
  parts: Set<number>;
  best: Field;
  first: number;
  groupKey: string;
  keys: string[];
}

export interface Scored {
  score: number;
  hits: Hit[];
}

/** What scoring reads of a leaf: its term lower-cased (which merges hits), its group, its keys. */
interface LeafNames {
  name: string;
  groupKey: string;
  keys: string[];
}

/**
 * Worked out once per leaf rather than at every match of it (strings and arrays made per topic an
 * item matched): a leaf lives as long as its matcher.
 */
const leafNames = new WeakMap<Leaf, LeafNames>();

function namesOf(leaf: Leaf): LeafNames {
  let names = leafNames.get(leaf);
  if (!names) {
    const name = leaf.term.toLowerCase();
    names = {
      name,
      groupKey: leaf.group ?? `term:${name}`,
      keys: leaf.patterns.map((p) => (p.kind === 'word' ? p.key : `${p.prefix}*`)),
    };
    leafNames.set(leaf, names);
  }
  return names;
}

function mergeByTerm(parts: Evidence[][]): Term[] {
  const byTerm = new Map<string, Term>();
  parts.forEach((evidence, part) => {
    for (const { leaf, spans } of evidence) {
      const { name, groupKey, keys } = namesOf(leaf);
      let term = byTerm.get(name);
      if (!term) {
        term = {
          leaf,
          spans: [],
          seen: new Set<number>(),
          parts: new Set<number>(),
          best: 'text',
          first: Infinity,
          groupKey,
          keys,
        };
        byTerm.set(name, term);
      }
      term.parts.add(part);
      for (const s of spans) {
        const id = s.start * 64 + (s.end - s.start); // phrases are far shorter than 64 words
        if (term.seen.has(id)) continue;
        term.seen.add(id);
        term.spans.push(s);
        if (FIELD_WEIGHT[s.field] > FIELD_WEIGHT[term.best]) term.best = s.field;
        term.first = Math.min(term.first, s.start);
      }
    }
  });
  return [...byTerm.values()];
}

/*
 * Helpers here are module functions, not closures made per call: scoring runs for every topic an
 * item matches, and a closure bound to a name is made (and, under tsx, named) each time.
 */
const wordCount = (t: Term) => t.leaf.patterns.length;

/** The positions term `i` covers, built only for the terms compared against (kept in `covered`). */
function coveredBy(terms: Term[], covered: Array<Set<number> | undefined>, i: number): Set<number> {
  let positions = covered[i];
  if (!positions) {
    positions = new Set<number>();
    for (const s of (terms[i] as Term).spans)
      for (let p = s.start; p <= s.end; p++) positions.add(p);
    covered[i] = positions;
  }
  return positions;
}

/** Drops terms only ever seen inside a longer (or an equal, earlier) matched phrase. */
function withoutSubsumed(terms: Term[]): Term[] {
  const covered: Array<Set<number> | undefined> = [];
  return terms.filter(
    (a, ia) =>
      !terms.some((b, ib) => {
        if (b === a || wordCount(b) < wordCount(a) || (wordCount(b) === wordCount(a) && ib > ia))
          return false;
        const inB = coveredBy(terms, covered, ib);
        return a.spans.every((s) => inB.has(s.start) && inB.has(s.end));
      }),
  );
}

const informativeness = (t: Term) =>
  FIELD_WEIGHT[t.best] + 0.5 * Math.min(t.leaf.patterns.length - 1, 2);

/** Whether every word of `t` belongs to a longer one of `others`. */
const echoes = (t: Term, others: Term[]) =>
  others.some(
    (o) => o !== t && o.keys.length > t.keys.length && t.keys.every((k) => o.keys.includes(k)),
  );

function ordered(terms: Term[], partCount: number): Term[] {
  const byInterest = [...terms].sort(
    (a, b) => informativeness(b) - informativeness(a) || a.first - b.first,
  );
  const early = byInterest.filter((t) => !echoes(t, terms));

  const picked: Term[] = [];
  for (let part = 0; part < partCount; part++) {
    const best = early.find((t) => t.parts.has(part));
    if (best && !picked.includes(best)) picked.push(best);
  }
  picked.sort((a, b) => byInterest.indexOf(a) - byInterest.indexOf(b));
  const groups = new Set(picked.map((t) => t.groupKey));
  for (const t of early) {
    if (groups.has(t.groupKey)) continue;
    picked.push(t);
    groups.add(t.groupKey);
  }
  return [...picked, ...byInterest.filter((t) => !picked.includes(t))];
}

/** `parts`: the evidence of each conjunct of the query; `wordsAt`: the item's words at a span. */
export function scoreEvidence(parts: Evidence[][], wordsAt: (span: Span) => string): Scored {
  const terms = withoutSubsumed(mergeByTerm(parts));
  const groups = new Set(terms.map((t) => t.groupKey));
  const termScore = terms.reduce(
    (sum, t) => sum + FIELD_WEIGHT[t.best] + 0.25 * Math.min(t.spans.length - 1, 4),
    0,
  );
  const score = Math.round((termScore + Math.max(0, groups.size - 1)) * 100) / 100;
  const hits = ordered(terms, parts.length).map(({ leaf, best, spans }): Hit => {
    const shown = spans.find((s) => s.field === best) ?? spans[0];
    const term =
      leaf.patterns.some((p) => p.kind === 'prefix') && shown ? wordsAt(shown) : leaf.term;
    return leaf.group ? { term, field: best, group: leaf.group } : { term, field: best };
  });
  return { score, hits };
}
