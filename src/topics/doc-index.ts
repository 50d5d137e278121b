/**
 * An item's words, indexed once per match call: positions by stemmed key, and by every compiled
 * prefix the words start with. Topic evaluation only ever looks words up here, so only the words
 * a matcher can look up are indexed (`LookedUp`): a news story has some 300 distinct words, of
 * which 50 topics name a handful, and filing every one of them was a fifth of matching.
 */
import { tokenizeDoc, type Token } from './tokenize';
import type { MatchDoc } from '../domain/match';

export interface DocIndex {
  doc: MatchDoc;
  /** All tokens; `tokens[i].pos === i`. */
  tokens: Token[];
  /** Positions of the words with each looked-up key, in order. */
  byKey: Map<string, number[]>;
  /** Positions of the words starting with each looked-up prefix the item has, in order. */
  byPrefix: Map<string, number[]>;
}

interface TrieNode {
  /** By UTF-16 code unit: a prefix ends on a whole character, so units find the same prefixes. */
  next: Map<number, TrieNode>;
  /** Set when the path to this node is a compiled prefix. */
  prefix?: string;
}

interface Filing {
  key: boolean;
  prefixes: string[];
}
const NOTHING: Filing = { key: false, prefixes: [] };
const MAX_FILINGS = 50_000;

/** The stemmed keys and prefixes a compiled query (or all topics) can look up in an item. */
export class LookedUp {
  private readonly keys = new Set<string>();
  /**
   * The prefixes as a trie: a word is walked letter by letter and the walk stops at the first
   * letter no prefix continues with — usually the first or second.
   */
  private readonly root: TrieNode = { next: new Map() };
  /** By norm (a word's key follows from its norm): what a word is filed under, worked out once. */
  private readonly filings = new Map<string, Filing>();

  addKey(key: string): void {
    this.keys.add(key);
    this.filings.clear();
  }

  addPrefix(prefix: string): void {
    let node = this.root;
    for (let i = 0; i < prefix.length; i++) {
      const code = prefix.charCodeAt(i);
      let child = node.next.get(code);
      if (!child) node.next.set(code, (child = { next: new Map() }));
      node = child;
    }
    node.prefix = prefix;
    this.filings.clear();
  }

  /** Files the token under its key and its prefixes, when a query can look them up. */
  file(t: Token, index: DocIndex): void {
    let filing = this.filings.get(t.norm);
    if (filing === undefined) {
      filing = this.filingOf(t);
      if (this.filings.size >= MAX_FILINGS) this.filings.clear();
      this.filings.set(t.norm, filing);
    }
    if (filing === NOTHING) return;
    if (filing.key) push(index.byKey, t.key, t.pos);
    for (const prefix of filing.prefixes) push(index.byPrefix, prefix, t.pos);
  }

  private filingOf(t: Token): Filing {
    const key = this.keys.has(t.key);
    const prefixes: string[] = [];
    let node: TrieNode | undefined = this.root;
    for (let i = 0; node && i < t.norm.length; i++) {
      node = node.next.get(t.norm.charCodeAt(i));
      if (node?.prefix !== undefined) prefixes.push(node.prefix);
    }
    return key || prefixes.length > 0 ? { key, prefixes } : NOTHING;
  }
}

function push(map: Map<string, number[]>, key: string, pos: number): void {
  const list = map.get(key);
  if (list) list.push(pos);
  else map.set(key, [pos]);
}

export function indexDoc(doc: MatchDoc, words: LookedUp): DocIndex {
  const index: DocIndex = { doc, tokens: tokenizeDoc(doc), byKey: new Map(), byPrefix: new Map() };
  // Tokens come in order, so every list of positions is sorted, as phrase and NEAR checks need.
  for (const t of index.tokens) words.file(t, index);
  return index;
}
