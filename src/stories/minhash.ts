/**
 * MinHash band hashes: two term sets share a band with a probability close to their weighted
 * Jaccard similarity, so an index keyed by bands finds the likely matches of a story without
 * reading any other. One row per band: reports of one event in other words share only a third
 * or so of their weighted terms, and with r rows a band would catch such a pair with probability
 * 0.33^r; with one row and BANDS bands, 1 - 0.67^BANDS (98 % at 10 bands).
 *
 * A term of weight w enters as w copies (`term#0`, `term#1`, …), which is what weighting means
 * for MinHash. Only entities and numbers are hashed when a story has at least MIN_STRONG of them:
 * a band whose minimum fell on "cooperation" would put the story in a bucket shared with half the
 * news of the day, which the index caps and which would crowd out the bucket that matters.
 */
import { ENTITY, type Terms } from './terms';

export const BANDS = 10;
const MIN_STRONG = 3;

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A cheap, well-mixed permutation of 32-bit values per band (murmur3's finaliser). */
function mix(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const SEEDS = Array.from({ length: BANDS }, (_, i) => mix(i + 1, 0x9e3779b9));

/** The terms the signature is made of: the strong ones, or all when there are too few of them. */
function signatureTerms(terms: Terms): Array<[string, number]> {
  const strong = [...terms].filter(([, w]) => w >= ENTITY);
  return strong.length >= MIN_STRONG ? strong : [...terms];
}

/** One 32-bit value per band; empty for a story without terms (it can only match by link). */
export function bandHashes(terms: Terms): number[] {
  const copies: number[] = [];
  for (const [term, w] of signatureTerms(terms))
    for (let i = 0; i < w; i++) copies.push(hash(`${term}#${i}`));
  if (copies.length === 0) return [];
  return SEEDS.map((seed) => {
    let min = 0xffffffff;
    for (const c of copies) {
      const v = mix(c, seed);
      if (v < min) min = v;
    }
    return min;
  });
}
