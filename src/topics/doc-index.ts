/**
 * An item's words, indexed once per match call: postings by stemmed key, and by every compiled
 * prefix the words start with. Topic evaluation only ever looks words up here.
 */
import { tokenizeDoc, type Token } from './tokenize';
import type { MatchDoc } from '../domain/match';

export interface DocIndex {
  doc: MatchDoc;
  /** All tokens; `tokens[i].pos === i`. */
  tokens: Token[];
  byKey: Map<string, number[]>;
  /** Positions of the words starting with each compiled prefix the item has. */
  byPrefix: Map<string, number[]>;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** Set when the path to this node is a compiled prefix. */
  prefix?: string;
}

/**
 * The prefixes of all topics, as a trie: a word is walked letter by letter and the walk stops at
 * the first letter no prefix continues with — usually the first or second.
 */
export class PrefixTrie {
  private readonly root: TrieNode = { next: new Map() };
  size = 0;

  add(prefix: string): void {
    let node = this.root;
    for (const ch of prefix) {
      let child = node.next.get(ch);
      if (!child) node.next.set(ch, (child = { next: new Map() }));
      node = child;
    }
    if (node.prefix === undefined) this.size++;
    node.prefix = prefix;
  }

  /** Calls `found` for each prefix `word` starts with. */
  scan(word: string, found: (prefix: string) => void): void {
    let node: TrieNode | undefined = this.root;
    for (const ch of word) {
      node = node.next.get(ch);
      if (!node) return;
      if (node.prefix !== undefined) found(node.prefix);
    }
  }
}

function push(map: Map<string, number[]>, key: string, pos: number): void {
  const list = map.get(key);
  if (list) list.push(pos);
  else map.set(key, [pos]);
}

export function indexDoc(doc: MatchDoc, prefixes: PrefixTrie): DocIndex {
  const tokens = tokenizeDoc(doc);
  const byKey = new Map<string, number[]>();
  const byNorm = new Map<string, number[]>();
  for (const t of tokens) {
    push(byKey, t.key, t.pos);
    if (prefixes.size > 0) push(byNorm, t.norm, t.pos);
  }
  const byPrefix = new Map<string, number[]>();
  for (const [norm, positions] of byNorm) {
    prefixes.scan(norm, (prefix) => {
      const list = byPrefix.get(prefix);
      if (list) list.push(...positions);
      else byPrefix.set(prefix, [...positions]);
    });
  }
  // Phrase and NEAR checks walk positions in order.
  for (const list of byPrefix.values()) list.sort((a, b) => a - b);
  return { doc, tokens, byKey, byPrefix };
}
