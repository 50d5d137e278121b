/** The parsed form of a topic query (see query-parser.ts for the grammar). */

/** `title:` the title; `summary:` title and description; `text:` everything (also the default). */
export type FieldScope = 'title' | 'summary' | 'text';

/** One word of a term, normalised by the shared tokenizer. */
export interface TermWord {
  /** As written, for messages: `UN`, `terror`. */
  raw: string;
  norm: string;
  /** Stemmed form the index is keyed on. */
  key: string;
  /** All capitals in the query (UN, ООН): matches only all-capital words in items. */
  caps: boolean;
  /** Written with a trailing `*`: matches any word whose norm starts with `norm`. */
  prefix: boolean;
}

interface Located {
  /** 0-based character offset of the node in the query, for error messages. */
  offset: number;
}

/** A word or a phrase (several words that must be adjacent, in order, in one field). */
export interface TermNode extends Located {
  type: 'term';
  /** Display form, as written without quotes: `UN Counter-Terrorism Office`. */
  text: string;
  words: TermWord[];
}

/** `@name`: any entry of the named group in config/topics.yaml. */
export interface GroupNode extends Located {
  type: 'group';
  name: string;
}

export interface AndNode extends Located {
  type: 'and';
  children: QueryNode[];
}

export interface OrNode extends Located {
  type: 'or';
  children: QueryNode[];
}

export interface NotNode extends Located {
  type: 'not';
  child: QueryNode;
}

/** What NEAR counts: words (`NEAR/12`), or a shared sentence or paragraph (`NEAR/sentence`). */
export type NearUnit = 'word' | 'sentence' | 'paragraph';

/**
 * Both sides match and some hit of one is close to a hit of the other: within `distance` words,
 * or in the same sentence or paragraph (`distance` 0 in that unit).
 */
export interface NearNode extends Located {
  type: 'near';
  left: QueryNode;
  right: QueryNode;
  distance: number;
  unit: NearUnit;
}

export interface FieldNode extends Located {
  type: 'field';
  field: FieldScope;
  child: QueryNode;
}

/**
 * What an item is rather than what it says: its feed, its link's host, author, category or
 * language. A filter with no words of its own, so, like NOT, it cannot make a query match alone.
 */
export type Scope = 'feed' | 'site' | 'author' | 'category' | 'lang';

export interface ScopeNode extends Located {
  type: 'scope';
  scope: Scope;
  /** As written: `un.org`, `Jane Doe`, `ru`. */
  value: string;
}

export type QueryNode =
  | TermNode
  | GroupNode
  | AndNode
  | OrNode
  | NotNode
  | NearNode
  | FieldNode
  | ScopeNode;

/** The `@group` references of a query, in order of appearance. */
export function groupRefs(node: QueryNode): GroupNode[] {
  switch (node.type) {
    case 'group':
      return [node];
    case 'term':
    case 'scope':
      return [];
    case 'and':
    case 'or':
      return node.children.flatMap(groupRefs);
    case 'not':
    case 'field':
      return groupRefs(node.child);
    case 'near':
      return [...groupRefs(node.left), ...groupRefs(node.right)];
  }
}
