/**
 * An append-only list of numbers over a key-value store, cheap to append to and to count.
 *
 * The head (`name`) holds the count and the entries since the last full chunk; every `CHUNK`
 * entries are sealed into `name#0`, `name#1`, … and never rewritten. An append rewrites the head
 * only (at most CHUNK entries, plus one sealed chunk when it fills), so a list that grows all day
 * costs the same per append in the evening as in the morning. The count is in the head: counting
 * reads no entries beyond the tail.
 *
 * Entries are stored as one string of fixed-width base-64 digits (8 per entry, 48 bits): keyv
 * serialises arrays element by element and parses them with a reviver, while a string is one step
 * each way, and fixed-width digits decode with a table lookup per character — five times faster
 * than splitting and parsing, which matters when a query reads tens of thousands of entries.
 */
import { StoreError } from '../errors';
import type { KV } from './kv';

/** Entries per sealed chunk: bounds the bytes rewritten per append (2 KB) and the rows read per list. */
export const CHUNK = 256;

export interface ListHead {
  /** Entries in the whole list. */
  n: number;
  /** Entries after the last sealed chunk, encoded. */
  t: string;
}

export interface KeyValue {
  key: string;
  value: unknown;
}

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const WIDTH = 8;
const LIMIT = 64 ** WIDTH;
const VALUE = new Uint8Array(128);
for (let i = 0; i < DIGITS.length; i++) VALUE[DIGITS.charCodeAt(i)] = i;

/** The digits' character codes, for writing them straight into bytes. */
const CODES = Uint8Array.from(DIGITS, (c) => c.charCodeAt(0));
const HALF = 64 ** (WIDTH / 2);

/**
 * Entries as fixed-width digits, written into bytes and read as one Latin-1 string: building the
 * string a digit at a time made eight strings per entry, which a fold of a day's words (~50
 * entries per item) paid in allocations and garbage collections.
 */
export function encodeEntries(entries: number[]): string {
  const bytes = Buffer.allocUnsafe(entries.length * WIDTH);
  let p = 0;
  for (const entry of entries) {
    if (!(entry >= 0 && entry < LIMIT && Number.isInteger(entry)))
      throw new StoreError(`Archive entry ${entry} out of range`);
    // Two 24-bit halves, four digits each, so the digits come from integer operations.
    let high = Math.floor(entry / HALF);
    let low = entry - high * HALF;
    for (let j = WIDTH - 1; j >= WIDTH / 2; j--, low >>= 6) bytes[p + j] = CODES[low & 63]!;
    for (let j = WIDTH / 2 - 1; j >= 0; j--, high >>= 6) bytes[p + j] = CODES[high & 63]!;
    p += WIDTH;
  }
  return bytes.toString('latin1', 0, p);
}

/**
 * Decodes `text` into `out` from index `at`; returns the index after the last entry. The string is
 * copied to bytes first: reading strings that JSON.parse produced character by character is four
 * times slower than reading a byte buffer.
 */
function decodeInto(text: string, out: Float64Array, at: number): number {
  const bytes = Buffer.from(text, 'latin1');
  let i = at;
  for (let p = 0; p + WIDTH <= bytes.length && i < out.length; i++) {
    let v = 0;
    for (let j = 0; j < WIDTH; j++) v = v * 64 + VALUE[bytes[p++]!]!;
    out[i] = v;
  }
  return i;
}

export function decodeEntries(text: string): Float64Array {
  const out = new Float64Array(Math.floor(text.length / WIDTH));
  decodeInto(text, out, 0);
  return out;
}

export const chunkKey = (name: string, index: number) => `${name}#${index}`;

/** Keys of the sealed chunks of a list of `n` entries. */
export function chunkKeys(name: string, n: number): string[] {
  return Array.from({ length: Math.floor(n / CHUNK) }, (_, i) => chunkKey(name, i));
}

/** A head as read, checked: undefined for a list never written. */
export function checkHead(name: string, raw: unknown): ListHead | undefined {
  if (raw === undefined) return undefined;
  const head = raw as ListHead;
  if (typeof head?.n !== 'number' || typeof head.t !== 'string')
    throw new StoreError(`Archive list ${name} is corrupt`);
  return head;
}

export async function readHeads(kv: KV, names: string[]): Promise<Array<ListHead | undefined>> {
  const raw = await getInBatches<unknown>(kv, names);
  return raw.map((r, i) => checkHead(names[i] as string, r));
}

/** The writes that append `added` to a list whose head is `head` (absent: a new list). */
export function appendWrites(
  name: string,
  head: ListHead | undefined,
  added: number[],
): { head: ListHead; writes: KeyValue[] } {
  return appendEncoded(name, head, encodeEntries(added));
}

/**
 * The writes that append entries already encoded (`text`, as encodeEntries writes them) to a
 * list. Entries are fixed-width text, so appending is concatenation and sealing a chunk is
 * cutting the text: nothing is decoded and encoded again, which is what a fold of word postings
 * (stored encoded) would otherwise spend most of its time on.
 */
export function appendEncoded(
  name: string,
  head: ListHead | undefined,
  text: string,
): { head: ListHead; writes: KeyValue[] } {
  if (text.length % WIDTH !== 0) throw new StoreError(`Archive entries for ${name} are corrupt`);
  const n = head?.n ?? 0;
  const next = { n: n + text.length / WIDTH, t: (head?.t ?? '') + text };
  const writes: KeyValue[] = [];
  // The tail starts at entry sealed*CHUNK; every full CHUNK of it becomes a sealed chunk.
  let sealed = Math.floor(n / CHUNK);
  const size = CHUNK * WIDTH;
  let from = 0;
  for (; next.t.length - from >= size; from += size)
    writes.push({ key: chunkKey(name, sealed++), value: next.t.slice(from, from + size) });
  if (from > 0) next.t = next.t.slice(from);
  writes.push({ key: name, value: next });
  return { head: next, writes };
}

/** Whole lists, in entry order; a list never written is empty. */
export async function readLists(kv: KV, names: string[]): Promise<Float64Array[]> {
  const heads = await readHeads(kv, names);
  const keys = names.flatMap((name, i) => chunkKeys(name, heads[i]?.n ?? 0));
  const chunks = await getInBatches<string>(kv, keys);
  let at = 0;
  return names.map((name, i) => {
    const head = heads[i];
    if (!head) return new Float64Array();
    // Decoded straight into one typed array: no intermediate arrays for a query to collect.
    const out = new Float64Array(head.n);
    let filled = 0;
    for (let c = Math.floor(head.n / CHUNK); c > 0; c--) {
      const chunk = chunks[at++];
      if (typeof chunk !== 'string') throw new StoreError(`Archive list ${name} lost a chunk`);
      filled = decodeInto(chunk, out, filled);
    }
    return out.subarray(0, decodeInto(head.t, out, filled));
  });
}

/** Reads and deletes go in batches so no single statement carries thousands of keys. */
const BATCH = 250;

export async function getInBatches<T>(kv: KV, keys: string[]): Promise<Array<T | undefined>> {
  if (keys.length <= BATCH) return kv.getMany<T>(keys);
  const parts: Array<Promise<Array<T | undefined>>> = [];
  for (let at = 0; at < keys.length; at += BATCH)
    parts.push(kv.getMany<T>(keys.slice(at, at + BATCH)));
  return (await Promise.all(parts)).flat();
}

export async function deleteInBatches(kv: KV, keys: string[]): Promise<void> {
  for (let at = 0; at < keys.length; at += BATCH) await kv.deleteMany(keys.slice(at, at + BATCH));
}
