/**
 * The store going away under the running worker: a private Redis killed in the middle of a poll,
 * a private Redis that stops answering (SIGSTOP) with its connections open, and a SQLite file
 * another connection holds an exclusive lock on. Either way the worker pauses, says so, marks
 * nothing seen, keeps retrying, and once the store is back delivers the new item exactly once.
 * The shared Redis on 6379 is never touched.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORE_BACK, STORE_PAUSED } from '../../src/worker/store-health';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { startPrivateRedis, type PrivateRedis } from '../support/reliability/private-redis';
import { openWatchedApp, type WatchedApp } from '../support/reliability/watched-app';
import { entries, rss } from '../support/rss';

const INTERVAL_MS = 10 * 60_000;
const PAUSED = STORE_PAUSED;
const FRESH = {
  title: 'Fresh story after the outage',
  guid: 'fresh',
  link: 'https://example.org/fresh',
};

/** A way to take the store away and give it back. */
interface Outage {
  env: Record<string, string>;
  /** What the paused worker's log line says about the store. */
  error: RegExp;
  breakStore(): Promise<void>;
  restore(): Promise<void>;
  dispose(): Promise<void>;
}

async function redisOutage(dir: string): Promise<Outage> {
  const redis: PrivateRedis = await startPrivateRedis(dir);
  return {
    env: { STORE_URL: redis.url },
    error: /error="Store (read|write) failed \(redis:\/\/[^)]*\): /,
    breakStore: () => redis.kill(),
    restore: () => redis.start(),
    dispose: () => redis.kill(),
  };
}

async function redisHang(dir: string): Promise<Outage> {
  const redis: PrivateRedis = await startPrivateRedis(dir);
  return {
    // A short timeout keeps the test short; the default is 30 s.
    env: { STORE_URL: redis.url, STORE_TIMEOUT_SECONDS: '0.5' },
    error: /error="Store (read|write) timed out after 0\.5 s \(redis:\/\/127\.0\.0\.1:\d+\)"/,
    breakStore: async () => redis.freeze(),
    restore: async () => redis.thaw(),
    dispose: async () => {
      redis.thaw();
      await redis.kill();
    },
  };
}

async function sqliteLock(dir: string): Promise<Outage> {
  const file = join(dir, 'locked.sqlite');
  let db: Database.Database | undefined;
  async function release() {
    db!.exec('COMMIT');
    db!.close();
    db = undefined;
  }
  return {
    env: { STORE_URL: `sqlite://${file}` },
    error: /error="Store (read|write) failed \(sqlite:\/\/[^)]*\): /,
    async breakStore() {
      db = new Database(file);
      db.exec('BEGIN EXCLUSIVE');
    },
    restore: release,
    dispose: async () => void (db && (await release())),
  };
}

let server: FeedServer;
let dir: string;
let watched: WatchedApp | undefined;
let outage: Outage | undefined;
beforeAll(async () => (server = await startFeedServer({})));
afterAll(() => server.close());
afterEach(async () => {
  await watched?.dispose();
  await outage?.dispose();
  await rm(dir, { recursive: true, force: true });
  watched = outage = undefined;
});

describe('the store going away', () => {
  it.each([
    ['a private Redis killed mid-poll and started again', redisOutage],
    ['a private Redis that stops answering mid-poll (SIGSTOP) and answers again', redisHang],
    ['a SQLite file locked by another connection (BEGIN EXCLUSIVE) and released', sqliteLock],
  ])(
    '%s: the worker pauses, logs it, and then delivers the new item exactly once',
    async (_name, make) => {
      dir = await mkdtemp(join(tmpdir(), 'briefing-outage-'));
      const o = (outage = await make(dir));
      const path = `/news-${o.env.STORE_URL!.slice(0, 5)}.xml`;
      server.setRoute(path, { body: rss(entries(2)) });
      const w = (watched = await openWatchedApp(
        [{ id: 'news', url: server.url(path) }],
        o.env,
        Date.now(),
      ));
      await w.app.worker.pollOnce();
      expect(w.titles()).toEqual([]);

      // The store goes away while the feed is being fetched: after the worker's first reads, before its writes.
      let broken = false;
      server.setRoute(path, async (_req, res) => {
        if (!broken) {
          broken = true;
          await o.breakStore();
        }
        res
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(rss([FRESH, ...entries(2)]));
      });
      w.advance(INTERVAL_MS + 1);
      w.app.worker.start();
      await w.until(() => w.lines.some((l) => l.includes(PAUSED)), 'the pause to be logged');
      const pause = w.lines.find((l) => l.includes(PAUSED))!;
      // Whichever piece of work met the outage first says so: this feed's poll, the drain, or the
      // scheduler's own store work (the first round's retention prune runs beside the poll).
      expect(pause).toMatch(new RegExp(`feedUrl=${server.url(path)}|during=(delivery|schedule)`));
      expect(pause).toContain('retryInSeconds=0.1');
      expect(pause).toMatch(o.error);
      expect(w.titles()).toEqual([]);

      await o.restore();
      await w.until(
        () => w.titles().includes(FRESH.title),
        'the item to be delivered after the store came back',
      );
      // One line for the outage however many retries failed, and one when it is over.
      expect(w.lines.filter((l) => l.includes(PAUSED))).toHaveLength(1);
      expect(w.lines.filter((l) => l.includes(STORE_BACK))).toHaveLength(1);
      // One more scheduled poll of the same feed: nothing is delivered twice.
      const polls = w.harness.outcomes.length;
      w.advance(INTERVAL_MS + 1);
      await w.until(() => w.harness.outcomes.length > polls, 'the next scheduled poll');
      await w.app.worker.stop();
      expect(w.titles()).toEqual([FRESH.title]);
      expect(w.harness.outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok']);
      expect(await w.app.stores.outbox.pending()).toEqual([]);
    },
  );
});
