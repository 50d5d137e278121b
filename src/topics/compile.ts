/**
 * Compiles all topics and groups into one Matcher.
 *
 * Matching an item costs one tokenization plus work proportional to the topics the item could
 * possibly match, not to all topics: every topic is indexed under a set of word keys (or
 * prefixes) at least one of which an item must contain for the topic to match — for an AND only
 * its most selective side, for an OR all sides, for a phrase its longest word. The item's distinct
 * words are looked up in that inverted index, and only the topics found are evaluated, against
 * the item's own postings (doc-index.ts, evaluate.ts). A query is positive by construction (the
 * parser refuses `NOT x` alone), so the index never misses a topic that would match.
 */
import { QueryError } from '../errors';
import type { QueryNode, TermNode } from './ast';
import { indexDoc, LookedUp } from './doc-index';
import {
  ALL_FIELDS,
  Evaluation,
  FIELD_BITS,
  type CNode,
  type Leaf,
  type Pattern,
} from './evaluate';
import { parseGroupEntry, parseQuery } from './query-parser';
import type { Groups, TopicDef } from './schema';
import { scopeTest } from './scope';
import { scoreEvidence } from './score';
import type { DocTokens } from './tokenize';
import type { Match, MatchDoc } from '../domain/match';

export { parseQuery };

/** An item's matches, and the words they were found in (which later stages read too). */
export interface ItemMatch {
  matches: Match[];
  tokens: DocTokens;
}

export interface Matcher {
  /** Topics the item matches with score >= their minScore, best first. */
  match(doc: MatchDoc): Match[];
  /** As `match`, with the item's tokens. */
  read(doc: MatchDoc): ItemMatch;
  readonly topicIds: string[];
}

interface CompiledTopic {
  id: string;
  minScore: number;
  root: CNode;
}

export const SCOPE_MASK = {
  title: FIELD_BITS.title,
  summary: FIELD_BITS.title | FIELD_BITS.description,
  text: ALL_FIELDS,
};

const patternSig = (p: Pattern) =>
  p.kind === 'prefix' ? `${p.prefix}*` : p.caps ? `${p.key}^${p.caps}` : p.key;

/** Builds leaves, sharing one `sig` per distinct pattern sequence and one leaf list per group. */
export class LeafBuilder {
  private readonly sigs = new Map<string, number>();
  private readonly groupLeaves = new Map<string, Leaf[]>();
  private readonly groupNodes = new Map<string, CNode>();
  constructor(private readonly groups: Groups) {}

  /** Sigs run from 0 to this, less one. */
  get sigCount(): number {
    return this.sigs.size;
  }

  /** One node per group and scope, shared by every topic that uses it (see Evaluation). */
  groupNode(name: string, mask: number): CNode | undefined {
    const id = `${name}/${mask}`;
    const cached = this.groupNodes.get(id);
    if (cached) return cached;
    const group = this.group(name);
    if (!group) return undefined;
    const node: CNode = {
      op: 'or',
      kids: group.map((leaf) => ({ op: 'leaf', leaf, mask })),
      shared: true,
    };
    this.groupNodes.set(id, node);
    return node;
  }

  leaf(term: TermNode, group?: string): Leaf {
    const patterns = term.words.map(
      (w): Pattern =>
        w.prefix
          ? { kind: 'prefix', prefix: w.norm }
          : { kind: 'word', key: w.key, caps: w.caps ? w.norm : null },
    );
    const key = patterns.map(patternSig).join(' ');
    let sig = this.sigs.get(key);
    if (sig === undefined) this.sigs.set(key, (sig = this.sigs.size));
    return group === undefined
      ? { sig, patterns, term: term.text }
      : { sig, patterns, term: term.text, group };
  }

  /** undefined when the group does not exist. */
  private group(name: string): Leaf[] | undefined {
    const cached = this.groupLeaves.get(name);
    if (cached) return cached;
    const entries = Object.hasOwn(this.groups, name) ? this.groups[name] : undefined;
    if (!entries) return undefined;
    const leaves = entries.map((entry) => {
      try {
        return this.leaf(parseGroupEntry(entry), name);
      } catch (e) {
        if (e instanceof QueryError)
          throw new QueryError(`Group ${name}: ${e.message}`, e.query, e.offset);
        throw e;
      }
    });
    this.groupLeaves.set(name, leaves);
    return leaves;
  }
}

/** One query node as the matcher evaluates it, under the field mask its ancestors set. */
export function toCNode(node: QueryNode, mask: number, leaves: LeafBuilder, query: string): CNode {
  const rec = (n: QueryNode, m = mask) => toCNode(n, m, leaves, query);
  switch (node.type) {
    case 'term':
      return { op: 'leaf', leaf: leaves.leaf(node), mask };
    case 'group': {
      const group = leaves.groupNode(node.name, mask);
      if (!group) throw new QueryError(`Unknown group @${node.name}`, query, node.offset);
      return group;
    }
    case 'and':
    case 'or':
      return { op: node.type, kids: node.children.map((c) => rec(c)) };
    case 'not':
      return { op: 'not', kid: rec(node.child) };
    case 'near':
      return {
        op: 'near',
        a: rec(node.left),
        b: rec(node.right),
        n: node.distance,
        unit: node.unit,
      };
    case 'field':
      return rec(node.child, SCOPE_MASK[node.field]);
    case 'scope':
      return { op: 'scope', test: scopeTest(node.scope, node.value) };
  }
}

/** Longer words are rarer; prefixes match more words than a word of the same length. */
const selectivity = (p: Pattern) =>
  p.kind === 'word' ? p.key.length + (p.caps ? 2 : 0) : p.prefix.length - 1;

/** Patterns one of which an item must contain for `node` to match (null: none required, i.e. NOT). */
function requiredPatterns(node: CNode): Pattern[] | null {
  const cost = (ps: Pattern[]) => ps.reduce((c, p) => c + 1 / Math.max(1, selectivity(p)), 0);
  switch (node.op) {
    case 'leaf':
      return [node.leaf.patterns.reduce((a, b) => (selectivity(b) > selectivity(a) ? b : a))];
    case 'or': {
      const sides = node.kids.map(requiredPatterns);
      return sides.every((s) => s !== null) ? sides.flat() : null;
    }
    case 'and':
    case 'near': {
      const kids = 'kids' in node ? node.kids : [node.a, node.b];
      const sides = kids.map(requiredPatterns).filter((s) => s !== null);
      return sides.length === 0 ? null : sides.reduce((a, b) => (cost(b) < cost(a) ? b : a));
    }
    case 'not':
    case 'scope':
      return null;
  }
}

function addPosting(map: Map<string, number[]>, key: string, topic: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [topic]);
  else if (list.at(-1) !== topic) list.push(topic);
}

export function compileTopics(topics: TopicDef[], groups: Groups): Matcher {
  const leaves = new LeafBuilder(groups);
  const compiled: CompiledTopic[] = topics.map((t) => {
    try {
      return {
        id: t.id,
        minScore: t.minScore,
        root: toCNode(parseQuery(t.query), ALL_FIELDS, leaves, t.query),
      };
    } catch (e) {
      if (e instanceof QueryError)
        throw new QueryError(`Topic ${t.id}: ${e.message}`, e.query, e.offset);
      throw e;
    }
  });
  const byKey = new Map<string, number[]>();
  const byPrefix = new Map<string, number[]>();
  const words = new LookedUp();
  compiled.forEach((t, i) => {
    for (const p of requiredPatterns(t.root) ?? []) {
      if (p.kind === 'word') addPosting(byKey, p.key, i);
      else addPosting(byPrefix, p.prefix, i);
      // The item's side of the inverted index: the words that make the topic a candidate.
      lookUp(p, words);
    }
    lookUpFirstWords(t.root, words);
  });
  return new TopicMatcher(compiled, byKey, byPrefix, words, leaves.sigCount);
}

function lookUp(p: Pattern, words: LookedUp): void {
  if (p.kind === 'word') words.addKey(p.key);
  else words.addPrefix(p.prefix);
}

/**
 * Records the first word of every leaf under `node`, in NEARs and NOTs too: evaluation finds a
 * leaf's spans from where its first word is (evaluate.ts) and reads the words after it by
 * position. Filing a phrase's other words as well filed every "of", "and" and "на" of a story
 * (`Office on Drugs and Crime`): 145 words an item for 50 topics instead of about 30.
 */
export function lookUpFirstWords(node: CNode, words: LookedUp): void {
  if (node.op === 'leaf') {
    const [first] = node.leaf.patterns;
    if (first) lookUp(first, words);
  } else if (node.op === 'not') lookUpFirstWords(node.kid, words);
  else if (node.op === 'near') for (const n of [node.a, node.b]) lookUpFirstWords(n, words);
  else if (node.op !== 'scope') for (const n of node.kids) lookUpFirstWords(n, words);
}

/** Adds the topics filed under the names the item has to `candidates`, each once. */
function markCandidates(
  found: Map<string, number[]>,
  topicsOf: Map<string, number[]>,
  marked: Uint8Array,
  candidates: number[],
): void {
  for (const name of found.keys())
    for (const i of topicsOf.get(name) ?? []) {
      if (marked[i]) continue;
      marked[i] = 1;
      candidates.push(i);
    }
}

class TopicMatcher implements Matcher {
  readonly topicIds: string[];
  constructor(
    private readonly topics: CompiledTopic[],
    private readonly byKey: Map<string, number[]>,
    private readonly byPrefix: Map<string, number[]>,
    private readonly words: LookedUp,
    private readonly sigs: number,
  ) {
    this.topicIds = topics.map((t) => t.id);
  }

  match(doc: MatchDoc): Match[] {
    return this.read(doc).matches;
  }

  read(doc: MatchDoc): ItemMatch {
    const index = indexDoc(doc, this.words);
    const marked = new Uint8Array(this.topics.length);
    const candidates: number[] = [];
    markCandidates(index.byKey, this.byKey, marked, candidates);
    markCandidates(index.byPrefix, this.byPrefix, marked, candidates);
    candidates.sort((a, b) => a - b);

    const evaluation = new Evaluation(index, this.sigs);
    const matches: Match[] = [];
    for (const i of candidates) {
      const topic = this.topics[i];
      const parts = topic && evaluation.evaluateParts(topic.root);
      if (!topic || !parts) continue;
      const { score, hits } = scoreEvidence(parts, (span) => evaluation.wordsAt(span));
      if (score >= topic.minScore) matches.push({ topicId: topic.id, score, hits });
    }
    return { matches: matches.sort((a, b) => b.score - a.score), tokens: index.tokens };
  }
}
