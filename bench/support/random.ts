/**
 * A seeded PRNG and the draws the generators need, so every run of a bench sees the same items,
 * feeds and topics and figures from two runs are comparable.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  /**
   * A Zipf-like rank in [0, n): rank 0 is by far the most frequent, as words and names are in
   * real text (a few very common, a long tail of rare ones).
   */
  zipf(n: number): number;
}

/** mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export function seeded(seed: number): Random {
  let a = seed | 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(xs: readonly T[]) => {
      if (xs.length === 0) throw new RangeError('pick from an empty list');
      return xs[Math.floor(next() * xs.length)] as T;
    },
    chance: (p) => next() < p,
    zipf: (n) => Math.min(n - 1, Math.floor(Math.exp(next() * Math.log(n + 1)) - 1)),
  };
}

/** A seed derived from a base seed and some labels, so independent streams stay independent. */
export function seedOf(base: number, ...parts: Array<string | number>): number {
  let h = base ^ 0x811c9dc5;
  for (const ch of parts.join('\u0000')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}
