import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { openStore, type KV } from '../../src/store/kv';

/**
 * The store backends every contract test runs against. Redis and PostgreSQL run on development and
 * CI machines; with REQUIRE_SERVICES=1 (set by .ci/run) an unreachable one fails the suite instead
 * of being skipped.
 */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const servicesRequired = process.env.REQUIRE_SERVICES === '1';

/** Deletes what a test wrote to the shared Redis under its own prefix (job queue and store alike). */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export interface TestStore {
  kv: KV;
  url: string;
  /** Another connection to the same store (and prefix), as a second process would have. */
  connect(): Promise<KV>;
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'redis' | 'postgres';
  open(): Promise<TestStore>;
}

async function openWithPrefix(url: string, onePoolPerProcess = false): Promise<TestStore> {
  // A fresh prefix per test keeps runs apart on shared servers without clearing anyone's data.
  const prefix = `test-${process.pid}-${Math.random().toString(36).slice(2)}:`;
  const kv = await openStore(url, { prefix });
  return {
    kv,
    url,
    // @keyv/postgres keeps one pool per process, which a second store would share and close
    // twice: the pool's own connections (4) are what race there.
    connect: async () =>
      onePoolPerProcess ? { ...kv, close: async () => {} } : openStore(url, { prefix }),
    dispose: () => kv.close(),
  };
}

export const backends: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'briefing-store-'));
      const url = `sqlite://${join(dir, 'store.sqlite')}`;
      const kv = await openStore(url);
      return {
        kv,
        url,
        connect: () => openStore(url),
        dispose: async () => {
          await kv.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  { name: 'redis', open: () => openWithPrefix(REDIS_URL) },
  { name: 'postgres', open: () => openWithPrefix(POSTGRES_URL, true) },
];

/** Whether a backend answers; the verdict a test suite uses to run or skip (or fail in CI). */
export async function reachable(backend: Backend): Promise<boolean> {
  try {
    const store = await backend.open();
    await store.dispose();
    return true;
  } catch {
    return false;
  }
}

/** Keys under a prefix of their own, so every run starts from an empty archive in one store. */
export function prefixed(kv: KV, prefix: string): KV {
  const p = (k: string) => prefix + k;
  return {
    ...kv,
    get: (k) => kv.get(p(k)),
    getMany: (ks) => kv.getMany(ks.map(p)),
    set: (k, v, ttl) => kv.set(p(k), v, ttl),
    setMany: (es) => kv.setMany(es.map((e) => ({ ...e, key: p(e.key) }))),
    delete: (k) => kv.delete(p(k)),
    deleteMany: (ks) => kv.deleteMany(ks.map(p)),
    update: (ks, plan) =>
      kv.update(ks.map(p), (values) => {
        const { writes, result } = plan(values);
        return { writes: writes.map((w) => ({ ...w, key: p(w.key) })), result };
      }),
  };
}

/**
 * A copy of a store fixture (a SQLite file an earlier layout wrote), opened for `use` and deleted
 * afterwards: the fixture itself is never written. `file` is the copy, for reading it directly.
 */
export async function withStoreFixture<T>(
  fixture: string,
  use: (kv: KV, file: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'briefing-store-fixture-'));
  try {
    const file = join(dir, 'store.sqlite');
    await copyFile(fixture, file);
    const kv = await openStore(`sqlite://${file}`);
    try {
      return await use(kv, file);
    } finally {
      await kv.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
