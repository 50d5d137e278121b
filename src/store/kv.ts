import Keyv from 'keyv';
import { StoreError } from '../errors';
import type { LeaseClaim, LeaseHolder } from './lease';
import { postgresLeases } from './lease-postgres';
import { redisLeases } from './lease-redis';
import { sqliteLeases } from './lease-sqlite';
import { deserialize, serialize } from './serialize';
import { createSqliteAdapter } from './sqlite-adapter';

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
  /** Takes or renews a named lease atomically (see lease.ts); says who holds it otherwise. */
  claimLease(
    name: string,
    holder: LeaseHolder,
    ttlMs: number,
    replacing?: string,
  ): Promise<LeaseClaim>;
  releaseLease(name: string, holderId: string): Promise<void>;
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
async function adapterFor(url: string, backend: KV['backend']) {
  switch (backend) {
    case 'sqlite': {
      const adapter = await createSqliteAdapter(url);
      return { adapter, leases: sqliteLeases((sql, params) => adapter.query(sql, params)) };
    }
    case 'redis': {
      const { default: KeyvRedis } = await import('@keyv/redis');
      // Without an offline queue a command fails at once while Redis is away (and the client
      // reconnects in the background); with one, it would wait silently for as long as the
      // outage lasts, and the worker would hang instead of pausing and saying why.
      const adapter = new KeyvRedis(
        { url, disableOfflineQueue: true },
        { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 5_000 },
      );
      return { adapter, leases: redisLeases(() => adapter.getClient()) };
    }
    case 'postgres': {
      const { default: KeyvPostgres } = await import('@keyv/postgres');
      const adapter = new KeyvPostgres({ uri: url, max: 4, connectionTimeoutMillis: 5_000 });
      return { adapter, leases: postgresLeases((sql, params) => adapter.query(sql, params)) };
    }
  }
}

async function guarded<T>(
  what: string,
  url: string,
  timeoutMs: number | undefined,
  run: () => Promise<T>,
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
  } catch (err) {
    if (err instanceof StoreError) throw err;
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

/** Opens the store named by STORE_URL and checks it answers before anything relies on it. */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<KV> {
  const p = options.prefix ?? '';
  const backend = backendOf(url);
  const timeoutMs = backend === 'sqlite' ? undefined : (options.timeoutMs ?? 30_000);
  const guard = <T>(what: string, run: () => Promise<T>) => guarded(what, url, timeoutMs, run);
  const { adapter, leases } = await guard('connect', () => adapterFor(url, backend));
  const keyv = new Keyv({
    store: adapter,
    throwOnErrors: true,
    useKeyPrefix: false,
    namespace: '',
    serialize,
    deserialize,
  });
  // Without a listener keyv's 'error' events would crash the process; errors also reject the call.
  keyv.on('error', () => {});
  const kv: KV = {
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
    claimLease: (name, holder, ttlMs, replacing) =>
      guard('lease', () => leases.claim(p + name, holder, ttlMs, replacing)),
    releaseLease: (name, holderId) => guard('lease', () => leases.release(p + name, holderId)),
    close: () => guard('close', () => keyv.disconnect()),
  };
  await kv.get('__ping__');
  return kv;
}
