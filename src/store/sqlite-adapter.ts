import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { RawPlan, RawWrite } from './atomic';

/**
 * keyv's store on SQLite through better-sqlite3. The table and its format are the ones
 * @keyv/sqlite (node-sqlite3) wrote — table `keyv`, key up to 255 characters, the value as keyv's
 * serialised text — so a data folder from an earlier version opens unchanged.
 *
 * better-sqlite3 runs each statement on the calling thread. For this store that is the fast
 * path: a statement costs microseconds, far less than the hop to libuv's thread pool that
 * node-sqlite3 made for every call, and a batch of writes is one transaction of prepared
 * statements instead of one SQL text built per batch.
 */
const TABLE = 'keyv';

/**
 * How long a write waits for another connection's lock before it fails. The wait blocks this
 * process (the driver is synchronous), which is acceptable because writes are short: another
 * process writing the same file holds the lock for one transaction of prepared statements, and
 * in WAL mode readers never block the writer.
 */
const BUSY_TIMEOUT_MS = 5_000;
/**
 * SQLite's page cache, in KiB (a negative `cache_size`). better-sqlite3 builds SQLite with 16 MB
 * per connection, which a bot's store soon fills: 14 MB of its resident memory at 1,000 feeds
 * (docs/performance.md, section 5). SQLite's own default of 2 MB keeps the B-trees' inner pages;
 * the rest is read from the OS page cache, which holds it as well, at no cost the pipeline bench
 * could see.
 */
const PAGE_CACHE_KIB = 2_000;

/** Pages written to the WAL between automatic checkpoints (SQLite's default: 1,000). */
const WAL_PAGES = 4_000;

type Row = { key: string; value: string };

/** Writes to make in one transaction: the text to store per key, or `null` for a delete. */
type Held = Map<string, string | null>;

export interface SqliteAdapter extends KeyvStoreAdapter {
  query(sql: string, params: unknown[]): Promise<unknown[]>;
  /**
   * `KV.update` on SQLite: reads the keys, runs the plan and writes in one `BEGIN IMMEDIATE`
   * transaction, which takes the file's write lock before the first read. better-sqlite3 is
   * synchronous, so nothing else in this process runs in between, and the lock keeps every other
   * connection — another process included — out until the commit.
   */
  update<R>(keys: string[], plan: RawPlan<R>): R;
}

class SqliteStore extends EventEmitter implements SqliteAdapter {
  opts = { table: TABLE, dialect: 'sqlite' };
  namespace?: string;
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], string>;
  private readonly upsert: Database.Statement<[string, string]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly writeAll: (held: Held) => void;
  private readonly readAll: (keys: string[]) => Array<string | undefined>;
  private readonly readPlanWrite: Database.Transaction<
    (keys: string[], plan: RawPlan<unknown>) => unknown
  >;

  constructor(file: string) {
    super();
    this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    // WAL keeps readers and the writer apart and makes each commit a cheap append; a process
    // crash loses nothing committed (only power loss could lose the last commits).
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    // Checkpoints copy the WAL's pages back into the file, once per page however often it was
    // written since the last one: hot pages (a day's list heads, its sequence) are copied a
    // quarter as often with 4,000 pages between checkpoints as with SQLite's 1,000. The WAL file
    // then stays ~16 MB on disk (journal_size_limit trims it back after a larger transaction);
    // memory is unchanged (the page cache is set just above, no mmap).
    this.db.pragma(`wal_autocheckpoint = ${WAL_PAGES}`);
    this.db.pragma(`journal_size_limit = ${WAL_PAGES * 4096}`);
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE}(key VARCHAR(255) PRIMARY KEY, value TEXT )`);
    this.select = this.db
      .prepare<[string], string>(`SELECT value FROM ${TABLE} WHERE key = ?`)
      .pluck();
    this.upsert = this.db.prepare(
      `INSERT INTO ${TABLE} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    );
    this.remove = this.db.prepare(`DELETE FROM ${TABLE} WHERE key = ?`);
    const write = (key: string, value: string | null) => {
      if (value === null) this.remove.run(key);
      else this.upsert.run(key, value);
    };
    this.writeAll = this.db.transaction((held: Held) => {
      for (const [key, value] of held) write(key, value);
    });
    // Outside a transaction every statement opens and closes its own read snapshot, which in WAL
    // mode takes and drops the file's and the WAL's read locks (system calls): ~6 µs a key, where
    // a lookup inside one transaction costs ~0.5 µs. One snapshot for the batch is also the
    // consistent read a batch implies.
    this.readAll = this.db.transaction((keys: string[]) => keys.map((k) => this.read(k)));
    this.readPlanWrite = this.db.transaction((keys: string[], plan: RawPlan<unknown>) => {
      const { writes, result } = plan(keys.map((k) => this.read(k)));
      for (const w of writes as RawWrite[]) write(w.key, w.text);
      return result;
    });
  }

  private read(key: string): string | undefined {
    return this.select.get(key);
  }

  async get<Value>(key: string) {
    return this.read(key) as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]) {
    // One prepared lookup per key (cheaper here than one statement that has to parse the keys),
    // all in one read transaction.
    return (keys.length === 1 ? [this.read(keys[0]!)] : this.readAll(keys)) as Array<
      StoredData<Value | undefined>
    >;
  }

  async has(key: string) {
    return this.read(key) !== undefined;
  }

  async set(key: string, value: string) {
    this.upsert.run(key, value);
    return true;
  }

  async setMany(entries: Row[]) {
    this.writeAll(new Map(entries.map((e) => [e.key, e.value])));
  }

  async delete(key: string) {
    return this.remove.run(key).changes > 0;
  }

  async deleteMany(keys: string[]) {
    const existed = keys.some((k) => this.read(k) !== undefined);
    this.writeAll(new Map(keys.map((k) => [k, null])));
    return existed;
  }

  async clear() {
    this.db
      .prepare(`DELETE FROM ${TABLE} WHERE key LIKE ?`)
      .run(this.namespace ? `${this.namespace}:%` : '%');
  }

  async disconnect() {
    this.db.close();
  }

  /** One SQL statement, for what keyv cannot express (the leases' atomic claim): its rows, if any. */
  async query(sql: string, params: unknown[]): Promise<unknown[]> {
    const statement = this.db.prepare(sql);
    if (statement.reader) return statement.all(...params);
    statement.run(...params);
    return [];
  }

  update<R>(keys: string[], plan: RawPlan<R>): R {
    return this.readPlanWrite.immediate(keys, plan) as R;
  }
}

export async function createSqliteAdapter(url: string): Promise<SqliteAdapter> {
  const file = url.slice('sqlite://'.length);
  if (file !== ':memory:') await mkdir(dirname(resolve(file)), { recursive: true });
  return new SqliteStore(file);
}
