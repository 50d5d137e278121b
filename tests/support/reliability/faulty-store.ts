/**
 * The worker on a store that can be made to fail at its n-th write — and from then on at every
 * call, as a store that went away does — until healed; and a Discord stand-in that, like
 * Discord with enforce_nonce, takes a repeated nonce as the message it already has. Together
 * they let a test try every write of a poll round as the point where the store disappears.
 */
import { buildBriefing } from '../../../src/delivery/build-briefing';
import { drainOutbox } from '../../../src/delivery/drain';
import type { Sink } from '../../../src/delivery/sink';
import { StoreError } from '../../../src/errors';
import { createFetcher, type Fetcher } from '../../../src/feeds/fetch';
import { memoryLogger } from '../../../src/log';
import { createArchiveRepo } from '../../../src/store/archive';
import { createFeedStateRepo } from '../../../src/store/feed-state';
import type { KV } from '../../../src/store/kv';
import { createOutboxRepo } from '../../../src/store/outbox';
import { createPostBudgetRepo, DEFAULT_FLOOD_LIMITS } from '../../../src/store/post-budget';
import { createSeenRepo } from '../../../src/store/seen';
import type { FeedStores } from '../../../src/worker/process-feed';
import { consoleRouter } from '../../../src/delivery/console-router';
import { createWorker, type Worker } from '../../../src/worker/worker';

export interface FaultyKV extends KV {
  /** Writes so far (set, setMany, delete, deleteMany calls). */
  readonly writes: number;
  /** The `n`-th write from now fails, and every call after it, until `heal()`. */
  failAtWrite(n: number): void;
  heal(): void;
}

export function faultyKv(inner: KV): FaultyKV {
  let writes = 0;
  let failAt = Infinity;
  let gone = false;
  const guard =
    <A extends unknown[], R>(write: boolean, op: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (write && ++writes >= failAt) gone = true;
      if (gone) throw new StoreError('Store write failed (injected): the store went away');
      return op(...args);
    };
  const kv = {
    backend: inner.backend,
    get writes() {
      return writes;
    },
    get: guard(false, (key: string) => inner.get(key)),
    getMany: guard(false, (keys: string[]) => inner.getMany(keys)),
    set: guard(true, inner.set.bind(inner)),
    setMany: guard(true, inner.setMany.bind(inner)),
    delete: guard(true, inner.delete.bind(inner)),
    deleteMany: guard(true, inner.deleteMany.bind(inner)),
    update: guard(true, inner.update.bind(inner)),
    claimLease: guard(true, inner.claimLease.bind(inner)),
    releaseLease: guard(true, inner.releaseLease.bind(inner)),
    leaseHolder: guard(false, inner.leaseHolder.bind(inner)),
    close: () => inner.close(),
    failAtWrite: (n: number) => void (failAt = writes + n),
    heal: () => void ((failAt = Infinity), (gone = false)),
  } as FaultyKV;
  return kv;
}

/** Messages as Discord keeps them: one per nonce, however often it is sent. */
export interface NonceSink extends Sink {
  /** Titles posted, once per distinct nonce. */
  readonly posted: string[];
  readonly attempts: number;
}

export function nonceSink(): NonceSink {
  const byNonce = new Map<string, string>();
  let attempts = 0;
  return {
    get posted() {
      return [...byNonce.values()];
    },
    get attempts() {
      return attempts;
    },
    async send(delivery, briefing) {
      attempts++;
      if (!byNonce.has(delivery.nonce)) byNonce.set(delivery.nonce, briefing.item.title);
      return { kind: 'sent' };
    },
  };
}

/** A worker over `kv` polling the given feed URLs (operator feeds, every new item delivered). */
export function workerOn(
  kv: KV,
  urls: string[],
  sink: Sink,
): { worker: Worker; stores: FeedStores; fetcher: Fetcher } {
  const day = 86_400_000;
  const stores: FeedStores = {
    seen: createSeenRepo(kv, { ttlMs: 30 * day, clock: () => new Date() }),
    archive: createArchiveRepo(kv, { retentionMs: 30 * day }),
    outbox: createOutboxRepo(kv),
    feedState: createFeedStateRepo(kv),
    budget: createPostBudgetRepo(kv, DEFAULT_FLOOD_LIMITS),
  };
  const fetcher = createFetcher();
  const logger = memoryLogger('error');
  const lookups = { feedName: (id: string) => id, topicName: (id: string) => id };
  const settledUnrecorded = new Set<string>();
  const worker = createWorker({
    feeds: () =>
      urls.map((url, i) => ({
        id: `feed-${i}`,
        url,
        interval: 600_000,
        backfill: 0,
        trust: 'trusted' as const,
      })),
    match: () => ({ matches: [], tokens: [] }),
    route: consoleRouter(() => false),
    stores,
    fetcher,
    drain: () =>
      drainOutbox({
        outbox: stores.outbox,
        archive: stores.archive,
        sink,
        brief: (a, d) => buildBriefing(a, d, lookups),
        logger,
        now: () => new Date(),
        settledUnrecorded,
      }),
    logger,
    deliverWindowMs: 29 * day,
  });
  return { worker, stores, fetcher };
}
