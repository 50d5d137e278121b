/**
 * A query node written back as query text, for explanations: `@un NEAR/12 @counter_terrorism`,
 * `(@central_asia_ambiguous NOT @elsewhere)`. Brackets only where precedence needs them
 * (query-parser.ts: NOT > NEAR > AND > OR); phrases in quotes; the rest as the query wrote it.
 */
import type { QueryNode } from './ast';

const PRECEDENCE: Record<QueryNode['type'], number> = {
  or: 1,
  and: 2,
  near: 3,
  not: 4,
  field: 5,
  scope: 5,
  term: 5,
  group: 5,
};

const quoted = (text: string) => (/\s/.test(text) ? `"${text}"` : text);

export function queryText(node: QueryNode): string {
  const inner = (child: QueryNode, min: number) => {
    const text = queryText(child);
    return PRECEDENCE[child.type] < min ? `(${text})` : text;
  };
  switch (node.type) {
    case 'term':
      return quoted(node.text);
    case 'group':
      return `@${node.name}`;
    case 'scope':
      return `${node.scope}:${quoted(node.value)}`;
    case 'and':
      return node.children.map((c) => inner(c, 3)).join(' ');
    case 'or':
      return node.children.map((c) => inner(c, 2)).join(' OR ');
    case 'not':
      return `NOT ${inner(node.child, 4)}`;
    case 'near': {
      const op = node.unit === 'word' ? `NEAR/${node.distance}` : `NEAR/${node.unit}`;
      // NEAR is left-associative: a NEAR on the right needs brackets, one on the left does not.
      return `${inner(node.left, 3)} ${op} ${inner(node.right, 4)}`;
    }
    case 'field':
      return `${node.field}:${inner(node.child, 5)}`;
  }
}
