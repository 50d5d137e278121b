/**
 * "No such topic — did you mean …": an id the catalogue does not know, with the known ids it is
 * most likely a typo of. A query for an unknown id would otherwise answer "0 of 0", which reads
 * as "nothing happened" rather than "you misspelt it".
 */

/** Edit distance (insertions, deletions, substitutions), one row at a time. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length]!;
}

/** Known ids that `asked` is probably a typo of (or a part of), closest first; at most three. */
export function closestIds(asked: string, known: Iterable<string>): string[] {
  const reach = Math.max(2, Math.floor(asked.length / 3));
  return [...new Set(known)]
    .map((id) => ({ id, d: id.includes(asked) || asked.includes(id) ? 0.5 : distance(asked, id) }))
    .filter((c) => c.d <= reach)
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((c) => c.id);
}

/** `no such topic "nosuch" — did you mean "un-ct"?`, or the known ids when none is close. */
export function noSuchId(kind: 'topic' | 'feed', asked: string, known: string[]): string {
  const close = closestIds(asked, known);
  if (close.length > 0)
    return `no such ${kind} "${asked}" — did you mean ${close.map((id) => `"${id}"`).join(' or ')}?`;
  if (known.length === 0) return `no such ${kind} "${asked}": there are no ${kind}s yet.`;
  const shown = known.slice(0, 10).join(', ');
  return `no such ${kind} "${asked}"; known ${kind}s: ${shown}${known.length > 10 ? ', …' : ''}.`;
}
