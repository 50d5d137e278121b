import { type LeaseOps, parseHolder } from './lease';

/**
 * Leases in SQLite: one table, and one `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`
 * statement per claim, which SQLite runs atomically across every connection to the file. Takes
 * nothing but a way to run a statement, so it moves with the database handle when the driver
 * changes.
 */
export type SqlRun = (sql: string, params: unknown[]) => Promise<unknown[]>;

const TABLE = 'briefing_leases';

export function sqliteLeases(run: SqlRun, now: () => number = Date.now): LeaseOps {
  let table: Promise<unknown> | undefined;
  // Created on first use, so commands that only read never write to the file.
  const ready = () =>
    (table ??= run(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, holder_id TEXT NOT NULL, holder TEXT NOT NULL, expires_at INTEGER NOT NULL)`,
      [],
    ).catch((err) => {
      table = undefined;
      throw err;
    }));
  return {
    async claim(name, holder, ttlMs, replacing = '') {
      await ready();
      const at = now();
      const taken = await run(
        `INSERT INTO ${TABLE} (name, holder_id, holder, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET holder_id = excluded.holder_id, holder = excluded.holder,
           expires_at = excluded.expires_at
         WHERE ${TABLE}.holder_id IN (excluded.holder_id, ?) OR ${TABLE}.expires_at <= ?
         RETURNING name`,
        [name, holder.id, JSON.stringify(holder), at + ttlMs, replacing, at],
      );
      if (taken.length > 0) return { held: true };
      const [row] = (await run(`SELECT holder FROM ${TABLE} WHERE name = ?`, [name])) as Array<{
        holder: string;
      }>;
      return { held: false, holder: parseHolder(row?.holder) };
    },
    async release(name, holderId) {
      await ready();
      await run(`DELETE FROM ${TABLE} WHERE name = ? AND holder_id = ?`, [name, holderId]);
    },
    async holder(name) {
      // A store no instance ever ran on has no table, and a reader does not make one.
      const exists = await run(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, [
        TABLE,
      ]);
      if (exists.length === 0) return undefined;
      const [row] = (await run(`SELECT holder FROM ${TABLE} WHERE name = ? AND expires_at > ?`, [
        name,
        now(),
      ])) as Array<{ holder: string }>;
      return parseHolder(row?.holder);
    },
  };
}
