import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { StoreError } from '../errors';
import { observe } from '../observe/metrics';
import { type Plan, rawPlan, type RawPlan } from './atomic';
import { type PgPool, postgresUpdate } from './atomic-postgres';
import { type RedisAtomicClient, redisUpdate } from './atomic-redis';
import { deserialize, serialize } from './serialize';
import { createSqliteAdapter } from './sqlite-adapter';
import type { LeaseClaim, LeaseHolder, LeaseOps } from './lease';
import { postgresLeases } from './lease-postgres';
import { redisLeases } from './lease-redis';
import { sqliteLeases } from './lease-sqlite';

/**
 * The one connection to the store, narrowed to what repositories need. Every failure becomes a
 * StoreError: keyv's default is to emit errors and answer `undefined`, which would read as
 * "not seen" and post everything twice.
 */
export interface KV {
  readonly backend: 'sqlite' | 'redis' | 'postgres';
  get<T>(key: string): Promise<T | undefined>;
  getMany<T>(keys: string[]): Promise<Array<T | undefined>>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  setMany(entries: Array<{ key: string; value: unknown; ttlMs?: number }>): Promise<void>;
  delete(key: string): Promise<void>;
  deleteMany(keys: string[]): Promise<void>;
  /**
   * Reads `keys`, runs `plan` on their values (undefined where absent or expired) and commits the
   * writes it returns all together, only if none of `keys` changed in between — atomic across
   * connections and processes on every backend (atomic.ts). `plan` may run more than once, on
   * fresh values, when another writer got there first: it must be synchronous and have no
   * effects of its own. What it returns as `result` is what `update` returns. Writes that must
   * land together (all or none after a crash) go in one update too.
   */
  update<R>(keys: string[], plan: Plan<R>): Promise<R>;
  /** Takes or renews a named lease atomically (see lease.ts); says who holds it otherwise. */
  claimLease(
    name: string,
    holder: LeaseHolder,
    ttlMs: number,
    replacing?: string,
  ): Promise<LeaseClaim>;
  releaseLease(name: string, holderId: string): Promise<void>;
  /** Who holds a named lease now (lease.ts), read without writing. */
  leaseHolder(name: string): Promise<LeaseHolder | undefined>;
  close(): Promise<void>;
}

/** The URL with any password hidden, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

function backendOf(url: string): KV['backend'] {
  if (url.startsWith('sqlite://')) return 'sqlite';
  if (/^rediss?:\/\//.test(url)) return 'redis';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new StoreError(
    `Unsupported STORE_URL ${redactUrl(url)}: expected sqlite://, redis:// or postgres://`,
  );
}

/**
 * Only the driver the URL names is loaded: the Redis client alone costs ~18 MB resident. With it,
 * the backend's leases, written with its own atomic operations (keyv has no compare-and-set).
 */
async function serverAdapterFor(url: string, backend: 'redis' | 'postgres', timeoutMs: number) {
  switch (backend) {
    case 'redis': {
      const { default: KeyvRedis } = await import('@keyv/redis');
      // Without an offline queue a command fails at once while Redis is away (and the client
      // reconnects in the background); with one, it would wait silently for as long as the
      // outage lasts, and the worker would hang instead of pausing and saying why.
      const redis = new KeyvRedis(
        { url, disableOfflineQueue: true },
        { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 5_000 },
      );
      return {
        adapter: redis,
        leases: redisLeases(() => redis.getClient()),
        update: async <R>(keys: string[], plan: RawPlan<R>) =>
          redisUpdate((await redis.getClient()) as unknown as RedisAtomicClient, keys, plan),
        close: async () => {},
        explain: connectFailureOf(redis),
      };
    }
    case 'postgres': {
      const { default: KeyvPostgres } = await import('@keyv/postgres');
      // The adapter's first call makes two connection attempts in turn (its CREATE TABLE, then
      // the call itself): each gets half the store timeout, so that neither is still trying —
      // and keeping the process alive — after the timeout has been reported.
      const adapter = new KeyvPostgres({
        uri: url,
        max: 4,
        connectionTimeoutMillis: Math.min(5_000, timeoutMs / 2),
      });
      // Updates need a transaction on one connection, which the adapter's pool does not lend.
      const { default: pg } = await import('pg');
      const pool = new pg.Pool({
        connectionString: url,
        max: 4,
        connectionTimeoutMillis: Math.min(5_000, timeoutMs / 2),
      });
      // An idle connection that breaks (the server restarted) must not crash the process.
      pool.on('error', () => {});
      return {
        adapter,
        leases: postgresLeases((sql, params) => adapter.query(sql, params)),
        update: <R>(keys: string[], plan: RawPlan<R>) =>
          postgresUpdate(pool as unknown as PgPool, keys, plan),
        close: () => pool.end(),
        explain: undefined,
      };
    }
  }
}

/** What @keyv/redis says when it could not connect, whatever the reason. */
const REDIS_NOT_CONNECTED = /^Redis client is not connected or has failed to connect/;

/**
 * The reason a Redis connection failed. The adapter throws the same "client is not connected"
 * for a refused port, a wrong password and a bad database index, but emits the real error
 * (ECONNREFUSED, WRONGPASS, "DB index is out of range") on every attempt before it gives up with
 * its own timeout: keep the last real one, so the operator reads what to fix.
 */
function connectFailureOf(redis: {
  on(event: 'error', listener: (err: unknown) => void): unknown;
}): (err: unknown) => unknown {
  let reason: unknown;
  redis.on('error', (err) => {
    if (err instanceof Error && !/^Redis timed out after/.test(err.message)) reason = err;
  });
  return (err) =>
    reason !== undefined && err instanceof Error && REDIS_NOT_CONNECTED.test(err.message)
      ? reason
      : err;
}

async function guarded<T>(
  what: string,
  url: string,
  timeoutMs: number | undefined,
  run: () => Promise<T>,
  explain: (err: unknown) => unknown = (err) => err,
): Promise<T> {
  const call = Promise.resolve().then(run);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    if (timeoutMs === undefined) return;
    timer = setTimeout(
      () =>
        reject(
          new StoreError(`Store ${what} timed out after ${timeoutMs / 1000} s (${redactUrl(url)})`),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([call, timeout]);
  } catch (caught) {
    if (caught instanceof StoreError) throw caught;
    const err = explain(caught);
    throw new StoreError(`Store ${what} failed (${redactUrl(url)}): ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
    // A call that timed out may still fail later, when the connection finally breaks.
    call.catch(() => {});
  }
}

export interface OpenStoreOptions {
  /** Prefix for every key, so several deployments (or test runs) can share one Redis/PostgreSQL. @default '' */
  prefix?: string;
  /**
   * How long a Redis or PostgreSQL call may take before it counts as failed (STORE_TIMEOUT_SECONDS):
   * a server that stops answering but keeps the connection open would otherwise stall the worker
   * without a word. SQLite is a local file whose calls end; they are not timed. @default 30_000
   */
  timeoutMs?: number;
}

type Guard = <T>(what: string, run: () => Promise<T>) => Promise<T>;

function keyvOver(store: KeyvStoreAdapter): Keyv {
  const keyv = new Keyv({
    store,
    throwOnErrors: true,
    useKeyPrefix: false,
    namespace: '',
    serialize,
    deserialize,
  });
  // Without a listener keyv's 'error' events would crash the process; errors also reject the call.
  keyv.on('error', () => {});
  return keyv;
}

/** The KV over one keyv; `update` is the backend's own (see KV.update). */
function kvOver(
  keyv: Keyv,
  backend: KV['backend'],
  p: string,
  guard: Guard,
  update: <R>(keys: string[], plan: RawPlan<R>) => Promise<R>,
  leases: LeaseOps,
  closeMore: () => Promise<void> = async () => {},
): KV {
  return {
    backend,
    get: (key) => guard('read', () => keyv.get(p + key)),
    getMany: (keys) =>
      keys.length === 0
        ? Promise.resolve([])
        : guard('read', () => keyv.getMany(keys.map((k) => p + k))),
    set: (key, value, ttlMs) =>
      guard('write', async () => void (await keyv.set(p + key, value, ttlMs))),
    setMany: (entries) =>
      entries.length === 0
        ? Promise.resolve()
        : guard('write', async () => {
            await keyv.setMany(
              entries.map((e) => ({ key: p + e.key, value: e.value, ttl: e.ttlMs })),
            );
          }),
    delete: (key) => guard('delete', async () => void (await keyv.delete(p + key))),
    deleteMany: (keys) =>
      keys.length === 0
        ? Promise.resolve()
        : guard('delete', async () => void (await keyv.deleteMany(keys.map((k) => p + k)))),
    update: (keys, plan) =>
      guard('write', () =>
        update(
          keys.map((k) => p + k),
          rawPlan(p, plan),
        ),
      ),
    claimLease: (name, holder, ttlMs, replacing) =>
      guard('lease', () => leases.claim(p + name, holder, ttlMs, replacing)),
    releaseLease: (name, holderId) => guard('lease', () => leases.release(p + name, holderId)),
    leaseHolder: (name) => guard('lease', () => leases.holder(p + name)),
    close: () =>
      guard('close', async () => {
        await closeMore();
        await keyv.disconnect();
      }),
  };
}

/** Opens the store named by STORE_URL and checks it answers before anything relies on it. */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<KV> {
  const p = options.prefix ?? '';
  const backend = backendOf(url);
  const timeoutMs = backend === 'sqlite' ? undefined : (options.timeoutMs ?? 30_000);
  const guard: Guard = (what, run) => observe.store(what, () => guarded(what, url, timeoutMs, run));
  if (backend === 'sqlite') {
    const adapter = await guard('connect', () => createSqliteAdapter(url));
    const leases = sqliteLeases((sql, params) => adapter.query(sql, params));
    const kv = kvOver(
      keyvOver(adapter),
      backend,
      p,
      guard,
      async (keys, plan) => adapter.update(keys, plan),
      leases,
    );
    await kv.get('__ping__');
    return kv;
  }
  const { adapter, leases, update, close, explain } = await guard('connect', () =>
    serverAdapterFor(url, backend, timeoutMs!),
  );
  const explained: Guard = (what, run) =>
    observe.store(what, () => guarded(what, url, timeoutMs, run, explain));
  const keyv = keyvOver(adapter as KeyvStoreAdapter);
  const kv: KV = kvOver(keyv, backend, p, explained, update, leases, close);
  try {
    await kv.get('__ping__');
  } catch (err) {
    // Nothing will use this connection: end it now (without waiting), so that the process ends
    // when the error says it gave up, not when the driver's own attempts run out.
    keyv.disconnect().catch(() => {});
    close().catch(() => {});
    throw err;
  }
  return kv;
}
