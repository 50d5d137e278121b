/**
 * "Did you mean …": the known names closest to a mistyped one, by edit distance (insertions,
 * deletions, substitutions), for messages that refuse an unknown topic or feed id.
 */

/** Edits allowed: 2 for short names, a third of the length for long ones. */
const allowance = (name: string) => Math.max(2, Math.floor(name.length / 3));

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** Up to `max` candidates within the allowance, closest first; also a candidate that contains `name`. */
export function closestNames(name: string, candidates: readonly string[], max = 3): string[] {
  return candidates
    .map((c) => ({ c, d: c.includes(name) ? 0.5 : editDistance(name, c) }))
    .filter(({ d }) => d <= allowance(name))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}
