import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';

/**
 * @keyv/sqlite, with batch writes and reads done the way SQLite likes them. The adapter has no
 * `setMany`, so keyv would prepare and commit one INSERT per key (an archive poll writes a dozen
 * keys per item), and its `getMany` pairs rows to keys with a linear search. A batch is one
 * statement: a multi-row INSERT (bound values, so the serialised values are not escaped into
 * JSON again and parsed back by SQLite, which cost a third more per batch), and a SELECT over
 * `json_each` for reads.
 */
const ROWS_PER_INSERT = 16_000;

export async function createSqliteAdapter(url: string): Promise<KeyvSqlite> {
  const file = url.slice('sqlite://'.length);
  if (file !== ':memory:') await mkdir(dirname(resolve(file)), { recursive: true });
  const adapter = new KeyvSqlite({ uri: url, busyTimeout: 5_000 });
  // WAL keeps readers and the writer apart and makes each write a cheap append; a process crash
  // loses nothing that was committed (only power loss could lose the last commits).
  await adapter.query('PRAGMA journal_mode=WAL');
  await adapter.query('PRAGMA synchronous=NORMAL');
  const table = adapter.opts.table;
  const upsert = (rows: number) =>
    `INSERT INTO ${table} (key, value) VALUES ${'(?, ?), '.repeat(rows - 1)}(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`;
  return Object.assign(adapter, {
    async setMany(entries: Array<{ key: string; value: string }>) {
      // One statement is atomic. Only a batch beyond SQLite's limit of bound variables (32,766;
      // an archive poll of 20 items writes about 250 rows) is split, and is then not atomic.
      for (let at = 0; at < entries.length; at += ROWS_PER_INSERT) {
        const part = entries.slice(at, at + ROWS_PER_INSERT);
        await adapter.query(
          upsert(part.length),
          part.flatMap((e) => [e.key, e.value]),
        );
      }
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
