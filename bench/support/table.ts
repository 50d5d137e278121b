/** A section as a plain-text table: columns in first-seen order, numbers right-aligned. */
import type { BenchSection } from '../types';

type Cell = string | number;

const show = (v: Cell | undefined) =>
  v === undefined ? '' : typeof v === 'number' ? v.toLocaleString('en-US') : v;

export function renderTable(rows: BenchSection['rows']): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (columns.length === 0) return '(no rows)';
  const cells = rows.map((r) => columns.map((c) => show(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const numeric = columns.map((c) =>
    rows.every((r) => r[c] === undefined || typeof r[c] === 'number'),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join(
    '\n',
  );
}
