/**
 * The SQLite driver (better-sqlite3) against what earlier versions left on disk and what a crash
 * can leave: a data file written by the node-sqlite3 driver opens and reads back whole, and an
 * update that fails leaves none of its writes.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArchiveRepo } from '../../../src/store/archive';
import { createFeedStateRepo } from '../../../src/store/feed-state';
import { openStore, type KV } from '../../../src/store/kv';
import { createOutboxRepo } from '../../../src/store/outbox';
import { createSeenRepo } from '../../../src/store/seen';
import { createSqliteAdapter } from '../../../src/store/sqlite-adapter';
import { matched, newsItem } from './archive-items';

/**
 * Written by the bot's store code before the driver change (node-sqlite3 through @keyv/sqlite),
 * through the repositories: two archived items of 2026-11-11 (one matching `water`, one Russian
 * with a description starting with ':'), the feed's seen identities, a fetch state, feed-a
 * primed, one console delivery, a plain ':'-string and a key whose 1 ms TTL has long expired.
 * Retention was a century, so nothing else expires.
 */
const FIXTURE = join(import.meta.dirname, '../../fixtures/store/written-by-node-sqlite3.sqlite');
const CENTURY = 100 * 365 * 86_400_000;

let dir: string;
let kv: KV | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-sqlite-'));
});
afterEach(async () => {
  await kv?.close();
  kv = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('the SQLite driver', () => {
  it('reads a store written by the node-sqlite3 driver, and goes on writing to it', async () => {
    const file = join(dir, 'old.sqlite');
    await copyFile(FIXTURE, file);
    kv = await openStore(`sqlite://${file}`);
    const archive = createArchiveRepo(kv, { retentionMs: CENTURY });
    const [water, russian] = await archive.get(['key-0001', 'key-0002']);
    expect(water?.item.title).toBe('Ministers meet in Astana on water sharing');
    expect(water?.matches.map((m) => m.topicId)).toEqual(['water']);
    expect(russian?.item.title).toBe('Туркменистан открыл новый газопровод');
    expect(russian?.item.description).toBe(':colon first');
    expect(
      await archive.counts([{ day: '2026-11-11', index: { kind: 'topic', id: 'water' } }]),
    ).toEqual([1]);

    const seen = createSeenRepo(kv, { ttlMs: CENTURY, clock: () => new Date() });
    const again = await seen.classify('feed-a', [newsItem(1), newsItem(2), newsItem(3)]);
    expect(again.fresh.map((i) => i.key)).toEqual(['key-0003']);

    const feedState = createFeedStateRepo(kv);
    expect(await feedState.isPrimed('feed-a')).toBe(true);
    expect((await feedState.fetchState('https://example.org/feed.xml')).etag).toBe('"abc"');
    const pending = await createOutboxRepo(kv).pending();
    expect(pending.map((d) => [d.target, d.itemKey])).toEqual([[{ kind: 'console' }, 'key-0001']]);
    expect(await kv.get('plain:colon')).toBe(':starts with a colon');
    expect(await kv.get('plain:expired')).toBeUndefined();

    // A new item joins the old day's lists after the two already there.
    await archive.put([{ item: newsItem(3), matches: [matched('water')] }]);
    expect(
      await archive.counts([{ day: '2026-11-11', index: { kind: 'topic', id: 'water' } }]),
    ).toEqual([2]);
    expect((await archive.get(['key-0003']))[0]?.item.title).toBe('Story number 3');
  });

  it('opens the file in WAL mode, with the table and value format node-sqlite3 used', async () => {
    const file = join(dir, 'new.sqlite');
    kv = await openStore(`sqlite://${file}`);
    await kv.set('k', ':x', 60_000);
    await kv.close();
    kv = undefined;
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      // A copy: opening the fixture itself would leave WAL files beside it in the repository.
      await copyFile(FIXTURE, join(dir, 'old.sqlite'));
      const old = new Database(join(dir, 'old.sqlite'), { readonly: true });
      const schema = (d: Database.Database) =>
        d.prepare("SELECT sql FROM sqlite_master WHERE name = 'keyv'").pluck().get();
      expect(schema(db)).toBe(schema(old));
      old.close();
      const raw = JSON.parse(
        db.prepare("SELECT value FROM keyv WHERE key = 'k'").pluck().get() as string,
      );
      expect(raw.value).toBe('::x');
      expect(typeof raw.expires).toBe('number');
    } finally {
      db.close();
    }
  });

  it("keeps SQLite's own 2 MB page cache, not the 16 MB better-sqlite3 is built with", async () => {
    // 16 MB per connection was 14 MB of the whole bot's resident memory (docs/performance.md §5).
    const adapter = await createSqliteAdapter(`sqlite://${join(dir, 'cache.sqlite')}`);
    try {
      expect(await adapter.query('PRAGMA cache_size', [])).toEqual([{ cache_size: -2000 }]);
    } finally {
      await adapter.disconnect?.();
    }
  });

  it('an update whose plan fails writes nothing, and one that succeeds writes everything', async () => {
    kv = await openStore(`sqlite://${join(dir, 'tx.sqlite')}`);
    await kv.set('counter', 1);
    await expect(
      kv.update(['counter'], () => {
        throw new Error('interrupted half-way');
      }),
    ).rejects.toThrow('interrupted half-way');
    expect(await kv.getMany(['counter', 'other'])).toEqual([1, undefined]);

    await kv.update(['counter'], ([n]) => ({
      writes: [
        { key: 'counter', value: (n as number) + 1 },
        { key: 'counter', value: undefined },
        { key: 'other', value: 'y' },
      ],
      result: undefined,
    }));
    expect(await kv.getMany(['counter', 'other'])).toEqual([undefined, 'y']);
  });

  it('an update that cannot take the write lock (another connection holds it) fails as a store error and writes nothing', async () => {
    const file = join(dir, 'locked.sqlite');
    kv = await openStore(`sqlite://${file}`);
    await kv.set('counter', 1);
    const other = new Database(file, { timeout: 0 });
    other.exec('BEGIN EXCLUSIVE');
    try {
      await expect(
        kv.update(['counter'], () => ({ writes: [{ key: 'counter', value: 2 }], result: 0 })),
      ).rejects.toThrow(/^Store write failed \(sqlite:\/\/.*\): database is locked/);
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    expect(await kv.get('counter')).toBe(1);
  });
});
