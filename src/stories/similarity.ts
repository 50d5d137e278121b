/**
 * How alike two stories' terms are: the weight they share over the geometric mean of their
 * weights (a weighted Ochiai coefficient). The mean, not the union as in Jaccard, because one
 * outlet's lead is often twice as long as another's for the same event; 1 is identical terms.
 */
import type { Terms } from './terms';

function total(terms: Terms): number {
  let sum = 0;
  for (const w of terms.values()) sum += w;
  return sum;
}

export function similarity(a: Terms, b: Terms): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [term, w] of small) {
    const other = large.get(term);
    if (other !== undefined) shared += Math.min(w, other);
  }
  const norm = Math.sqrt(total(a) * total(b));
  return norm === 0 ? 0 : shared / norm;
}
