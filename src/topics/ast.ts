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

/** Both sides match and some hit of one is within `distance` tokens of a hit of the other. */
export interface NearNode extends Located {
  type: 'near';
  left: QueryNode;
  right: QueryNode;
  distance: number;
}

export interface FieldNode extends Located {
  type: 'field';
  field: FieldScope;
  child: QueryNode;
}

export type QueryNode = TermNode | GroupNode | AndNode | OrNode | NotNode | NearNode | FieldNode;

/** The `@group` references of a query, in order of appearance. */
export function groupRefs(node: QueryNode): GroupNode[] {
  switch (node.type) {
    case 'group':
      return [node];
    case 'term':
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
