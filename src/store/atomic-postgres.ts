import type { RawPlan } from './atomic';

/**
 * `KV.update` on PostgreSQL: one transaction on a connection of its own, which first takes a
 * transaction-scoped advisory lock per key (in key order, so two updates never wait on each other
 * in a circle), then reads the keys, runs the plan and writes. Advisory locks rather than
 * `SELECT … FOR UPDATE` because a key that does not exist yet has no row to lock, and a first
 * append to a list races exactly there. The locks go with the transaction: a process that dies
 * mid-update holds nothing once its connection drops.
 *
 * @keyv/postgres runs every statement on any connection of its pool and offers no transaction,
 * so updates have their own small pool (`pg`, the driver it uses itself), on keyv's table.
 */
export interface PgClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  release(err?: Error | boolean): void;
}

export interface PgPool {
  connect(): Promise<PgClient>;
  end(): Promise<void>;
}

const TABLE = 'keyv';
const LOCK = `SELECT pg_advisory_xact_lock(hashtextextended(k, 0))
  FROM (SELECT DISTINCT unnest($1::text[]) AS k ORDER BY 1) AS keys`;
const READ = `SELECT key, value FROM ${TABLE} WHERE key = ANY($1::text[])`;
const UPSERT = `INSERT INTO ${TABLE} (key, value) SELECT * FROM unnest($1::text[], $2::text[])
  ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
const DELETE = `DELETE FROM ${TABLE} WHERE key = ANY($1::text[])`;

/** A deadlock PostgreSQL broke by aborting us (only possible between colliding lock hashes). */
const DEADLOCK = '40P01';

export async function postgresUpdate<R>(
  pool: PgPool,
  keys: string[],
  plan: RawPlan<R>,
): Promise<R> {
  for (;;) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query(LOCK, [keys]);
      const rows = (await client.query(READ, [keys])).rows as Array<{
        key: string;
        value: string;
      }>;
      const found = new Map(rows.map((r) => [r.key, r.value]));
      const { writes, result } = plan(keys.map((k) => found.get(k)));
      const upserts = writes.filter((w) => w.text !== null);
      const deletes = writes.filter((w) => w.text === null).map((w) => w.key);
      if (upserts.length > 0)
        await client.query(UPSERT, [upserts.map((w) => w.key), upserts.map((w) => w.text)]);
      if (deletes.length > 0) await client.query(DELETE, [deletes]);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollback: Error) => {
        broken = rollback;
      });
      if ((err as { code?: string }).code === DEADLOCK) continue;
      throw err;
    } finally {
      // A connection that could not even roll back is dropped from the pool, not reused.
      client.release(broken ?? false);
    }
  }
}
