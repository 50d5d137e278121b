/** How the feed farm's feeds change, shared by the farm and the benches that count on it. */

export const ITEMS_PER_DOC = 20;
/** By default one feed in this many has new items at each round after the first. */
export const CHANGE_EVERY = 10;

/**
 * Whether feed `n` has new items at poll `round` (0 is the first poll, which always gets the
 * document). Exactly one feed in `every` changes per round, a different one each time.
 */
export function changesAt(n: number, round: number, every = CHANGE_EVERY): boolean {
  return round > 0 && (n + round) % every === 0;
}
