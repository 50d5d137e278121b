import type { Item } from '../domain/item';
import type { Match } from '../domain/match';
import type { DocTokens } from '../topics/tokenize';
import type { KV } from './kv';
import type { KeyedMutex } from './mutex';

/**
 * What the archive's write and retention halves share: the store, the TTL, and per day a queue
 * within this process (`mutex`), so that puts arriving while the day is written join one batch.
 * The queue is for batching, not safety: the writes themselves are atomic updates (KV.update).
 */
export interface ArchiveContext {
  kv: KV;
  mutex: KeyedMutex;
  ttlMs: number;
  /** Per day, the batch waiting for that day's lock, which later puts join (archive-put.ts). */
  waiting: Map<string, Batch>;
}

export interface Batch {
  entries: Entry[];
  /** Settles when the batch is written; set as the batch is created. */
  written?: Promise<Placed[]>;
}

export interface Entry {
  item: Item;
  matches: Match[];
  /** The item's tokens, when the matcher made them: its word index reads them (`indexWords`). */
  tokens?: DocTokens;
}

export type Placed = { day: string; ord: number; entry: Entry };
