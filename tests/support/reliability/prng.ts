/**
 * A seeded PRNG (mulberry32), so a fault-injection run that fails can be replayed exactly: the
 * seed is in the test's output, and the same seed gives the same kill points.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** One of the entries, each as likely as its weight. */
  pick<T>(weighted: Array<[T, number]>): T;
}

export function createPrng(seed: number): Prng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick(weighted) {
      const total = weighted.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [value, w] of weighted) if ((r -= w) < 0) return value;
      return weighted.at(-1)![0];
    },
  };
}
