/**
 * MinHash band hashes: two term sets share a band with a probability that follows their weighted
 * Jaccard similarity, so an index keyed by bands finds the likely matches of a story without
 * reading any other.
 *
 * Two rows per band, BANDS bands. One row per band (a band per single term) made a band of a
 * common name ("UN", "Kazakhstan") a bucket holding a good part of a busy day's news, which the
 * index had to read or cap, and a capped bucket loses the match that matters. With two rows a
 * band names a pair of terms and stays short on any day. A pair of reports sharing a fraction s
 * of their weighted terms meets in a band with probability 1 - (1 - s²)^BANDS: 98 % at s = 0.4;
 * on the labelled pairs, 24 bands find every pair the rule calls the same that 10 one-row bands
 * found, and fewer do not (20: recall 0.968 → 0.957 on the tuned part).
 *
 * A term of weight w enters as w copies (`term#0`, `term#1`, …), which is what weighting means
 * for MinHash. Only entities and numbers are hashed when a story has at least MIN_STRONG of them:
 * a band whose minimum fell on "cooperation" would say nothing about which event it is.
 */
import { ENTITY, type Terms } from './terms';

export const BANDS = 24;
const ROWS = 2;
const MIN_STRONG = 3;

const FNV_BASIS = 0x811c9dc5;

/** FNV-1a over `text`, continuing from the state `h`: hashing a string in parts hashes the whole. */
function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** FNV-1a, 32 bits. */
export function hash32(text: string): number {
  return fnv(FNV_BASIS, text) >>> 0;
}

/** A cheap, well-mixed permutation of 32-bit values per seed (murmur3's finaliser). */
export function mix32(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const SEEDS = Uint32Array.from({ length: BANDS * ROWS }, (_, i) => mix32(i + 1, 0x9e3779b9));

/**
 * The copies of the terms the signature is made of: the strong ones, or all when too few are. In
 * a typed array: as plain numbers, hashes of 2³¹ and more are stored as doubles, and the 48 passes
 * over them below took half again as long.
 */
function signatureCopies(terms: Terms): Uint32Array {
  let strong = 0;
  for (const w of terms.values()) if (w >= ENTITY) strong++;
  const all = strong < MIN_STRONG;
  let count = 0;
  for (const w of terms.values()) if (all || w >= ENTITY) count += w;
  const copies = new Uint32Array(count);
  let k = 0;
  for (const [term, w] of terms) {
    if (!all && w < ENTITY) continue;
    // hash32(`${term}#${i}`), without building the string: the term is hashed once.
    const prefix = fnv(FNV_BASIS, `${term}#`);
    for (let i = 0; i < w; i++) copies[k++] = fnv(prefix, String(i));
  }
  return copies;
}

/** One 32-bit value per band; empty for a story without terms (it can only match by link). */
export function bandHashes(terms: Terms): number[] {
  const copies = signatureCopies(terms);
  if (copies.length === 0) return [];
  const bands: number[] = [];
  for (let band = 0; band < BANDS; band++) {
    let value = band;
    for (let row = 0; row < ROWS; row++) {
      const seed = SEEDS[band * ROWS + row]!;
      let min = 0xffffffff;
      for (let c = 0; c < copies.length; c++) {
        const v = mix32(copies[c]!, seed);
        if (v < min) min = v;
      }
      value = mix32(min, value);
    }
    bands.push(value);
  }
  return bands;
}
