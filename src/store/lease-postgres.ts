import { type LeaseOps, parseHolder } from './lease';
import type { SqlRun } from './lease-sqlite';

/**
 * Leases in PostgreSQL: one `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING` per claim (a
 * row lock makes it atomic), with expiry on the server's clock, so processes on hosts whose
 * clocks differ still agree on when a lease ran out.
 */
const TABLE = 'briefing_leases';

export function postgresLeases(run: SqlRun): LeaseOps {
  let table: Promise<unknown> | undefined;
  const ready = () =>
    (table ??= run(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, holder_id TEXT NOT NULL, holder TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)`,
      [],
    ).catch((err: { code?: string }) => {
      // Two processes creating the table at once: the loser's error means it exists now.
      if (err.code === '23505' || err.code === '42P07') return;
      table = undefined;
      throw err;
    }));
  return {
    async claim(name, holder, ttlMs, replacing = '') {
      await ready();
      const taken = await run(
        `INSERT INTO ${TABLE} (name, holder_id, holder, expires_at)
         VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET holder_id = excluded.holder_id, holder = excluded.holder,
           expires_at = excluded.expires_at
         WHERE ${TABLE}.holder_id IN (excluded.holder_id, $5) OR ${TABLE}.expires_at <= now()
         RETURNING name`,
        [name, holder.id, JSON.stringify(holder), ttlMs, replacing],
      );
      if (taken.length > 0) return { held: true };
      const [row] = (await run(`SELECT holder FROM ${TABLE} WHERE name = $1`, [name])) as Array<{
        holder: string;
      }>;
      return { held: false, holder: parseHolder(row?.holder) };
    },
    async release(name, holderId) {
      await ready();
      await run(`DELETE FROM ${TABLE} WHERE name = $1 AND holder_id = $2`, [name, holderId]);
    },
    async holder(name) {
      // A store no instance ever ran on has no table, and a reader does not make one.
      const [found] = (await run(`SELECT to_regclass($1) AS t`, [TABLE])) as Array<{
        t: string | null;
      }>;
      if (!found?.t) return undefined;
      const [row] = (await run(
        `SELECT holder FROM ${TABLE} WHERE name = $1 AND expires_at > now()`,
        [name],
      )) as Array<{ holder: string }>;
      return parseHolder(row?.holder);
    },
  };
}
