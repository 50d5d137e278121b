/**
 * Reading xml2js values (what rss-parser hands over for custom fields): an element is a string
 * when it has neither attributes nor children, else an object with `$` (attributes), `_` (text)
 * and one array per child element name.
 */
export type Node = Record<string, unknown>;

/** The text of an xml2js value: a string, or the `_` of an element that has attributes. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && typeof (value as Node)._ === 'string')
    return (value as Node)._ as string;
  return undefined;
}

export function attrs(value: unknown): Node {
  const a = value && typeof value === 'object' ? (value as Node).$ : undefined;
  return a && typeof a === 'object' ? (a as Node) : {};
}

/** The values of a field kept with `keepArray` (or a single value), as an array. */
export function nodes(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined ? [] : [value];
}

/** The first non-empty text among `values`. */
export function firstText(values: unknown): string | undefined {
  for (const v of nodes(values)) {
    const t = textOf(v);
    if (t?.trim()) return t;
  }
  return undefined;
}

/** The children named `name` of each element in `values`. */
export function children(values: unknown, name: string): unknown[] {
  return nodes(values).flatMap((v) => (v && typeof v === 'object' ? nodes((v as Node)[name]) : []));
}
