/**
 * An item's words, indexed once per match call: positions by stemmed key, and by every compiled
 * prefix the words start with. Topic evaluation only ever looks words up here, so only the words
 * a matcher can look up are indexed (`LookedUp`): a news story has some 300 distinct words, of
 * which 50 topics name a handful, and filing every one of them was a fifth of matching.
 */
import { tokenizeDoc, type Token } from './tokenize';
import type { Filing, WordForms } from './word-forms';
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

/** The stemmed keys and prefixes a compiled query (or all topics) can look up in an item. */
export class LookedUp {
  private readonly keys = new Set<string>();
  /**
   * The prefixes as a trie: a word is walked letter by letter and the walk stops at the first
   * letter no prefix continues with — usually the first or second.
   */
  private readonly root: TrieNode = { next: new Map() };
  /** Bumped when a key or prefix is added: filings worked out before are stale. */
  private version: object = {};

  addKey(key: string): void {
    this.keys.add(key);
    this.version = {};
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
    this.version = {};
  }

  /** Files the token under its key and its prefixes, when a query can look them up. */
  file(t: Token, forms: WordForms, index: DocIndex): void {
    let filing = forms.filing;
    if (filing?.by !== this.version) {
      filing = this.filingOf(forms);
      forms.filing = filing;
    }
    if (filing.key) push(index.byKey, t.key, t.pos);
    for (const prefix of filing.prefixes) push(index.byPrefix, prefix, t.pos);
  }

  private filingOf({ key, norm }: WordForms): Filing {
    const prefixes: string[] = [];
    let node: TrieNode | undefined = this.root;
    for (let i = 0; node && i < norm.length; i++) {
      node = node.next.get(norm.charCodeAt(i));
      if (node?.prefix !== undefined) prefixes.push(node.prefix);
    }
    return { by: this.version, key: this.keys.has(key), prefixes };
  }
}

function push(map: Map<string, number[]>, key: string, pos: number): void {
  const list = map.get(key);
  if (list) list.push(pos);
  else map.set(key, [pos]);
}

export function indexDoc(doc: MatchDoc, words: LookedUp): DocIndex {
  const index: DocIndex = { doc, tokens: [], byKey: new Map(), byPrefix: new Map() };
  // Tokens come in order, so every list of positions is sorted, as phrase and NEAR checks need.
  index.tokens = tokenizeDoc(doc, (t, forms) => words.file(t, forms, index));
  return index;
}
