/**
 * The store on a full filesystem: a small tmpfs, filled with a file. Writes fail, reads still
 * work — the case where a bot that sends first and records afterwards prints (or posts) the same
 * briefing on every round. Mounting needs root: elsewhere the tests are skipped with a notice
 * (CI runs as root).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors';
import { createLogger } from '../../src/log';
import { openStore } from '../../src/store/kv';
import { STORE_BACK, STORE_PAUSED } from '../../src/worker/store-health';
import { AppHarness } from '../support/app-harness';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { exitWithin, runCli } from '../support/reliability/child-cli';
import { entries, rss } from '../support/rss';

const root = process.getuid?.() === 0;
if (!root)
  console.warn(
    '[full disk] not running as root, so no tmpfs can be mounted: these tests are skipped',
  );

const FRESH = {
  title: 'Fresh story written to a full disk',
  guid: 'fresh',
  link: 'https://example.org/fresh',
  pubDate: new Date(Date.now() - 60_000).toUTCString(),
};
const INTERVAL_MS = 10 * 60_000;

/** A small tmpfs at `dir`, with a file that can fill it to the last byte and be removed again. */
function smallDisk(dir: string) {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        // The last bytes that do not make a whole chunk.
        try {
          for (;;) writeSync(fd, chunk, 0, 1);
        } catch {}
      } finally {
        closeSync(fd);
      }
    },
    free: () => rmSync(filler, { force: true }),
    unmount: () => execFileSync('umount', ['-l', dir]),
  };
}

/** Resolves once `probe` holds, looking again after every turn of the event loop; fails after 10 s. */
async function until(probe: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting:\n${what()}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

let server: FeedServer;
let harness: AppHarness | undefined;
let disk: ReturnType<typeof smallDisk> | undefined;
let serial = 0;
beforeAll(async () => (server = await startFeedServer({})));
afterAll(() => server.close());
afterEach(async () => {
  await harness?.close();
  disk?.unmount();
  await harness?.dispose();
  harness = disk = undefined;
});

async function setUp() {
  const path = `/full-disk-${++serial}.xml`;
  server.setRoute(path, { body: rss(entries(2)) });
  harness = await AppHarness.create([{ id: 'news', url: server.url(path) }]);
  const mount = join(harness.dir, 'disk');
  disk = smallDisk(mount);
  return { path, storeUrl: `sqlite://${join(mount, 'store.sqlite')}` };
}

describe.skipIf(!root)('a full disk under the store', () => {
  it('a briefing whose removal from the outbox fails is printed once, not on every round: work pauses with one line and resumes when there is room', async () => {
    const { path, storeUrl } = await setUp();
    const h = harness!;
    const d = disk!;
    const lines: string[] = [];
    let at = Date.now();
    let filled = false;
    const app = await h.open(
      {
        clock: () => new Date(at),
        logger: createLogger({ level: 'debug', write: (l) => void lines.push(l) }),
        output: {
          json: true,
          color: false,
          write: (text) => {
            h.printed.push(text);
            // The disk fills up while the briefing is being printed: after its send was
            // recorded, before its removal from the outbox.
            if (!filled && text.includes(FRESH.title)) {
              filled = true;
              d.fill();
            }
          },
        },
        workerTiming: { tickMs: 20, storePauseMs: 50 },
      },
      { STORE_URL: storeUrl },
    );
    await app.worker.pollOnce();
    server.setRoute(path, { body: rss([FRESH, ...entries(2)]) });
    at += INTERVAL_MS + 1;
    await expect(app.worker.pollOnce()).rejects.toThrow(StoreError);
    expect(filled).toBe(true);

    // The loop keeps trying while the disk is full: several failed rounds, nothing printed again.
    app.worker.start();
    const retries = () => lines.filter((l) => l.includes('store still unavailable')).length;
    const log = () => lines.slice(-10).join('\n');
    await until(() => retries() >= 5, log);
    const titles = () => h.briefings().map((b) => b.item.title);
    expect(titles()).toEqual([FRESH.title]);
    expect(lines.filter((l) => l.includes(STORE_PAUSED))).toHaveLength(1);
    expect(lines.find((l) => l.includes(STORE_PAUSED))).toMatch(/SQLITE_FULL|disk is full/);

    d.free();
    await until(() => lines.some((l) => l.includes(STORE_BACK)), log);
    await app.worker.stop();
    expect(titles()).toEqual([FRESH.title]);
    expect(await app.stores.outbox.pending()).toEqual([]);
  });

  it('poll --once on a full disk prints nothing, says why in one line, and exits 1; with room again it delivers once and exits 0', async () => {
    const { path, storeUrl } = await setUp();
    const h = harness!;
    const run = async () => {
      const cli = runCli(
        ['poll', '--once', '--json', '--config', h.dir],
        { STORE_URL: storeUrl },
        { cwd: h.dir },
      );
      const exit = await exitWithin(cli, 20_000);
      return { exit, stdout: cli.stdout(), stderr: cli.stderr() };
    };
    expect((await run()).exit.code).toBe(0);
    server.setRoute(path, { body: rss([FRESH, ...entries(2)]) });

    // Another connection keeps SQLite's shared-memory and write-ahead-log files in place, so the
    // bot can open the store and read it on the full disk (without them even opening fails).
    const holder = await openStore(storeUrl);
    disk!.fill();
    for (let i = 0; i < 2; i++) {
      const full = await run();
      expect(full.exit.code, full.stderr).toBe(1);
      expect(full.stdout).not.toContain(FRESH.title);
      // Its first write is taking the store's lease: that fails, and says so in one line.
      // node-sqlite3 said SQLITE_FULL; better-sqlite3 says what it means.
      const why = full.stderr.split('\n').filter((l) => /SQLITE_FULL|disk is full/.test(l));
      expect(why, full.stderr).toHaveLength(1);
      expect(why[0]).toMatch(
        /^Store lease failed \(sqlite:[^)]*\): (SQLITE_FULL|database or disk is full)/,
      );
      expect(full.stderr).not.toContain('INFO  polled');
    }

    await holder.close();
    disk!.free();
    const freed = await run();
    expect(freed.exit.code, freed.stderr).toBe(0);
    // One briefing object for it (its story's sources repeat the title inside that object).
    const printed = (out: string) =>
      out
        .split('\n')
        .filter(Boolean)
        .filter((l) => JSON.parse(l).item?.title === FRESH.title);
    expect(printed(freed.stdout)).toHaveLength(1);
    const again = await run();
    expect(again.exit.code).toBe(0);
    expect(again.stdout).not.toContain(FRESH.title);
  }, 60_000);
});
