import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';

/**
 * @keyv/sqlite, with batch writes and reads done the way SQLite likes them. The adapter has no
 * `setMany`, so keyv would prepare and commit one INSERT per key (an archive poll writes a dozen
 * keys per item), and its `getMany` pairs rows to keys with a linear search. One statement over
 * `json_each` does either batch in a single implicit transaction.
 */
export async function createSqliteAdapter(url: string): Promise<KeyvSqlite> {
  const file = url.slice('sqlite://'.length);
  if (file !== ':memory:') await mkdir(dirname(resolve(file)), { recursive: true });
  const adapter = new KeyvSqlite({ uri: url, busyTimeout: 5_000 });
  // WAL keeps readers and the writer apart and makes each write a cheap append; a process crash
  // loses nothing that was committed (only power loss could lose the last commits).
  await adapter.query('PRAGMA journal_mode=WAL');
  await adapter.query('PRAGMA synchronous=NORMAL');
  const table = adapter.opts.table;
  return Object.assign(adapter, {
    async setMany(entries: Array<{ key: string; value: string }>) {
      // `WHERE true` lets SQLite parse an upsert whose rows come from a SELECT.
      await adapter.query(
        `INSERT INTO ${table} (key, value) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') ` +
          `FROM json_each(?) WHERE true ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        JSON.stringify(entries.map((e) => [e.key, e.value])),
      );
      return entries.map(() => true);
    },
    async getMany(keys: string[]) {
      const rows = (await adapter.query(
        `SELECT key, value FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`,
        JSON.stringify(keys),
      )) as Array<{ key: string; value: string }>;
      const byKey = new Map(rows.map((r) => [r.key, r.value]));
      return keys.map((k) => byKey.get(k));
    },
  });
}
