/**
 * `briefing start --role …` as separate processes on the real Redis, the way an operator runs
 * them: the sending bot is SIGKILLed, the standby takes over and sends what a worker queues.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { type CliRun, exitWithin, runCli } from '../../support/reliability/child-cli';
import { rss } from '../../support/rss';
import {
  POSTGRES_URL,
  REDIS_URL,
  dropRedisPrefix,
  backends,
  reachable,
  servicesRequired,
} from '../../support/stores';

let dir: string;
let prefix: string;
let server: FeedServer;
let runs: CliRun[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-roles-cli-'));
  prefix = `test-roles-cli-${process.pid}-${Math.random().toString(36).slice(2)}:`;
  runs = [];
  server = await startFeedServer({
    '/port.xml': {
      body: rss([
        { title: 'Night ferry schedule changes', guid: 'p-1', link: 'https://port.example/1' },
      ]),
    },
  });
  const feeds = [{ id: 'port', url: server.url('/port.xml'), backfill: 1 }];
  await writeFile(join(dir, 'feeds.yaml'), stringify({ feeds }));
  await writeFile(join(dir, 'topics.yaml'), 'groups: {}\ntopics: []\n');
});

afterEach(async () => {
  for (const run of runs) run.kill('SIGKILL');
  await Promise.all(runs.map((r) => r.exited));
  await server.close();
  await rm(dir, { recursive: true, force: true });
  await dropRedisPrefix(prefix);
});

function briefing(args: string[], env: Record<string, string> = {}): CliRun {
  const run = runCli(
    ['--config', dir, '--json', ...args],
    { STORE_URL: REDIS_URL, STORE_PREFIX: prefix, LEASE_SECONDS: '2', ...env },
    { cwd: dir },
  );
  runs.push(run);
  return run;
}
const start = (role: string, env: Record<string, string> = {}) =>
  briefing(['start', '--role', role], env);

/** Needs the Redis on 127.0.0.1 (skipped without it, unless REQUIRE_SERVICES=1 as in CI). */
const redisUp = (await reachable(backends.find((b) => b.name === 'redis')!)) || servicesRequired;
const postgresUp =
  (await reachable(backends.find((b) => b.name === 'postgres')!)) || servicesRequired;
describe.skipIf(!redisUp)('start --role as processes', () => {
  it('a standby bot takes over from a killed one and sends what a worker queued', async () => {
    const first = start('bot');
    await first.waitForOutput('sender: this bot now sends the queued deliveries');
    const second = start('bot');
    await second.waitForOutput('standby: another bot is sending');
    expect(second.output()).not.toContain('sender: this bot now sends');

    first.kill('SIGKILL');
    await second.waitForOutput('sender: this bot now sends the queued deliveries');

    const t0 = Date.now();
    const mark = (m: string) => console.error(`MARK ${m} ${Date.now() - t0}`);
    const worker = start('worker');
    await worker.waitForOutput('worker: taking poll jobs from the queue');
    mark('worker up');
    await second.waitForOutput('Night ferry schedule changes');
    const printed = JSON.parse(second.stdout().trim()) as { item: { title: string } };
    expect(printed.item.title).toBe('Night ferry schedule changes');
    // The worker queues; only the sending bot prints.
    expect(worker.stdout()).toBe('');
    expect(first.stdout()).toBe('');

    // `briefing status` names the processes running and the queue's depth.
    const status = briefing(['status']);
    expect(await exitWithin(status, 20_000)).toEqual({ code: 0, signal: null });
    const report = JSON.parse(status.stdout()) as {
      lease: string;
      roles: string;
      queue: { waiting: number; active: number; delayed: number };
      processes: Array<{ role: string; pid: number; state: string }>;
    };
    expect(report.processes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'worker', pid: worker.child.pid, state: 'active' }),
        expect.objectContaining({ role: 'bot', pid: second.child.pid, state: 'active' }),
      ]),
    );
    expect(report.lease).toContain(`pid ${second.child.pid},`);
    expect(report.roles).toMatch(/^1 worker, 1 bot sending/);
    // The feed's schedule waits for its next slot.
    expect(report.queue.delayed).toBeGreaterThanOrEqual(1);

    second.kill('SIGTERM');
    worker.kill('SIGTERM');
    expect(await exitWithin(second, 15_000)).toEqual({ code: 0, signal: null });
    expect(await exitWithin(worker, 15_000)).toEqual({ code: 0, signal: null });
  }, 60_000);

  it.skipIf(!postgresUp)(
    'a worker and a bot share a PostgreSQL store, with the queue on Redis',
    async () => {
      const env = { STORE_URL: POSTGRES_URL, QUEUE_URL: REDIS_URL };
      const bot = start('bot', env);
      await bot.waitForOutput('sender: this bot now sends the queued deliveries');
      const worker = start('worker', env);
      await bot.waitForOutput('Night ferry schedule changes');
      expect(worker.stdout()).toBe('');
      bot.kill('SIGTERM');
      worker.kill('SIGTERM');
      expect(await exitWithin(bot, 15_000)).toEqual({ code: 0, signal: null });
      expect(await exitWithin(worker, 15_000)).toEqual({ code: 0, signal: null });
    },
    60_000,
  );

  it("a SIGKILLed worker's poll is picked up by another worker", async () => {
    // The first fetch never answers: the worker that made it is killed mid-poll.
    let first = true;
    server.setRoute('/slow.xml', (_req, res) => {
      if (first) {
        first = false;
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          rss([{ title: 'Dock strike called off', guid: 's-1', link: 'https://port.example/s' }]),
        );
    });
    // An hour's interval: the next scheduled run is far off, so only the recovered job polls.
    const feeds = [{ id: 'slow', url: server.url('/slow.xml'), interval: '1h' }];
    await writeFile(join(dir, 'feeds.yaml'), stringify({ feeds }));

    const doomed = start('worker');
    await server.waitForRequests('/slow.xml', 1);
    doomed.kill('SIGKILL');
    await doomed.exited;

    const rescuer = start('worker');
    await rescuer.waitForOutput('first sight of feed: 1 existing items archived');
    expect(server.requests('/slow.xml')).toHaveLength(2);
  }, 60_000);

  it('refuses --standby with a role other than all (exit 2)', async () => {
    const run = briefing(['start', '--role', 'worker', '--standby']);
    expect(await exitWithin(run, 20_000)).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toContain('--standby is for role all');
  }, 30_000);

  it('refuses roles beside a plain start, and a plain start beside a bot (exit 2, naming the holder)', async () => {
    const all = briefing(['start']);
    await all.waitForOutput('watching 1 feed');
    const worker = start('worker');
    expect(await exitWithin(worker, 20_000)).toEqual({ code: 2, signal: null });
    expect(worker.stderr()).toContain(
      `a \`briefing start\` (role all) is running on this store (host `,
    );
    expect(worker.stderr()).toContain(`pid ${all.child.pid}`);
    all.kill('SIGTERM');
    expect((await exitWithin(all, 20_000)).code).toBe(0);

    const bot = start('bot');
    await bot.waitForOutput('sender: this bot now sends the queued deliveries');
    const plain = briefing(['start']);
    expect(await exitWithin(plain, 20_000)).toEqual({ code: 2, signal: null });
    expect(plain.stderr()).toContain('a `briefing start --role bot` is running on this store');
    expect(plain.stderr()).toContain('start workers with `--role worker` instead');
    expect(server.requests('/port.xml')).toHaveLength(1);
  }, 60_000);

  it('refuses a plain start beside workers with no bot (exit 2, naming one), and starts once they are gone', async () => {
    const worker = start('worker');
    await worker.waitForOutput('worker: taking poll jobs from the queue');
    await server.waitForRequests('/port.xml', 1);
    const plain = briefing(['start']);
    expect(await exitWithin(plain, 30_000)).toEqual({ code: 2, signal: null });
    expect(plain.stderr()).toContain(
      'a worker (`briefing start --role worker`) is running on this store (host ',
    );
    expect(plain.stderr()).toContain(`pid ${worker.child.pid}`);
    expect(plain.stderr()).toContain('start a bot with `--role bot` beside them instead');

    worker.kill('SIGTERM');
    expect((await exitWithin(worker, 30_000)).code).toBe(0);
    // Its record is deleted as it stops: a plain start then runs, and polls a feed that is due
    // (the worker's feed is not due again for a while).
    server.setRoute('/harbour.xml', {
      body: rss([{ title: 'Harbour crane repaired', guid: 'h-1', link: 'https://port.example/h' }]),
    });
    const feeds = [
      { id: 'port', url: server.url('/port.xml'), backfill: 1 },
      { id: 'harbour', url: server.url('/harbour.xml') },
    ];
    await writeFile(join(dir, 'feeds.yaml'), stringify({ feeds }));
    briefing(['start']);
    await server.waitForRequests('/harbour.xml', 1);
  }, 120_000);

  it('refuses role worker on a SQLite store, naming the setting (exit 2)', async () => {
    const run = start('worker', { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}` });
    expect(await exitWithin(run, 20_000)).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toContain('STORE_URL');
    expect(run.stderr()).toContain('SQLite works with role all only');
  }, 30_000);
});
