/**
 * Roles sharing work through the job engine, on the real Redis: two worker apps (each with its
 * own connections, as two processes have) take poll jobs from one queue, and a bot app sends what
 * they queued. The feeds come from the local feed server, which counts how many requests of each
 * path and of the whole host run at once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCommands } from '../../../main';
import { type App, createApp } from '../../../src/app';
import { takePollJobs } from '../../../src/cli/worker-role';
import { parseEnv } from '../../../src/config/env';
import { POLL_QUEUE, queuePrefix } from '../../../src/jobs/poll-queue';
import type { Role } from '../../../src/jobs/roles';
import { memoryLogger } from '../../../src/log';
import type { GroupOutcome } from '../../../src/worker/poll-group';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { rss } from '../../support/rss';
import {
  REDIS_URL,
  backends,
  dropRedisPrefix,
  reachable,
  servicesRequired,
} from '../../support/stores';

const FEEDS = 10;
const feedPath = (i: number) => `/feed-${i}.xml`;

interface Running {
  app: App;
  outcomes: GroupOutcome[];
  printed: string[];
  stop(): Promise<void>;
}

let dir: string;
let prefix: string;
let server: FeedServer;
let running: Running[];
/** Requests being answered now and at most, per path and over the host. */
const inFlight = new Map<string, number>();
const mostPerPath = new Map<string, number>();
let hostNow = 0;
let hostMost = 0;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-roles-'));
  prefix = `test-roles-${process.pid}-${Math.random().toString(36).slice(2)}:`;
  running = [];
  inFlight.clear();
  mostPerPath.clear();
  hostNow = hostMost = 0;
  server = await startFeedServer({});
  for (let i = 0; i < FEEDS; i++) {
    const path = feedPath(i);
    const body = rss([
      {
        title: `Harbour report ${i}: ferries run late`,
        guid: `h-${i}`,
        link: `https://news.example/h/${i}`,
      },
    ]);
    // Slow enough that jobs taken at once overlap at the server.
    server.setRoute(path, (_req, res) => {
      const now = (inFlight.get(path) ?? 0) + 1;
      inFlight.set(path, now);
      mostPerPath.set(path, Math.max(mostPerPath.get(path) ?? 0, now));
      hostMost = Math.max(hostMost, ++hostNow);
      setTimeout(() => {
        inFlight.set(path, (inFlight.get(path) ?? 1) - 1);
        hostNow--;
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
      }, 80);
    });
  }
  const feeds = Array.from({ length: FEEDS }, (_, i) => ({
    id: `f${i}`,
    url: server.url(feedPath(i)),
    backfill: 1,
  }));
  await writeFile(join(dir, 'feeds.yaml'), stringify({ feeds }));
  await writeFile(join(dir, 'topics.yaml'), 'groups: {}\ntopics: []\n');
});

afterEach(async () => {
  for (const r of running) await r.stop();
  await server.close();
  await rm(dir, { recursive: true, force: true });
  // The queue and the store under this run's prefix.
  await dropRedisPrefix(prefix);
});

async function launch(role: Role, env: Record<string, string> = {}): Promise<Running> {
  const logger = memoryLogger('debug');
  const outcomes: GroupOutcome[] = [];
  const printed: string[] = [];
  const app = await createApp({
    configDir: dir,
    env: parseEnv({
      STORE_URL: REDIS_URL,
      STORE_PREFIX: prefix,
      FETCH_TIMEOUT_SECONDS: '5',
      LEASE_SECONDS: '2',
      ...env,
    }),
    logger,
    output: { json: true, color: false, write: (t) => printed.push(t) },
    onOutcome: (o) => outcomes.push(o),
    workerTiming: { tickMs: 50, storePauseMs: 200 },
    loadCommands,
    role,
  });
  let stopJobs = () => {};
  if (role === 'worker') stopJobs = (await takePollJobs(app, logger, 8)).stop;
  if (role === 'bot') {
    expect(await app.lease!.acquire()).toEqual({ held: true });
    app.worker.start();
  }
  const r: Running = {
    app,
    outcomes,
    printed,
    stop: async () => {
      stopJobs();
      await app.close();
    },
  };
  running.push(r);
  return r;
}

const polledUrls = (rs: Running[]) => new Set(rs.flatMap((r) => r.outcomes.map((o) => o.url)));

/** Needs the Redis on 127.0.0.1 (skipped without it, unless REQUIRE_SERVICES=1 as in CI). */
const redisUp = (await reachable(backends.find((b) => b.name === 'redis')!)) || servicesRequired;
describe.skipIf(!redisUp)('workers sharing the poll jobs', () => {
  it('poll every feed once between them, one poll per URL and two fetches per host at a time', async () => {
    const [a, b] = [await launch('worker'), await launch('worker')];
    // More jobs for the same URLs while the first ones run: the engine would hand them out at once.
    const queue = new Queue(POLL_QUEUE, {
      connection: { url: REDIS_URL },
      prefix: queuePrefix(prefix),
    });
    for (let i = 0; i < 4; i++)
      for (let n = 0; n < 3; n++)
        await queue.add('poll', { groupKey: server.url(feedPath(i)) }, { removeOnComplete: true });
    await queue.close();

    await vi.waitFor(() => expect(polledUrls([a, b]).size).toBe(FEEDS), { timeout: 15_000 });
    await vi.waitFor(async () =>
      expect((await a.app.jobs!.depth()).waiting + (await a.app.jobs!.depth()).active).toBe(0),
    );
    expect(Math.max(...mostPerPath.values())).toBe(1);
    expect(hostMost).toBeLessThanOrEqual(2);
    // Both took jobs: the work is shared, not one process's.
    expect(a.outcomes.length).toBeGreaterThan(0);
    expect(b.outcomes.length).toBeGreaterThan(0);
    // Workers never send: the deliveries wait in the outbox for the bot.
    expect([...a.printed, ...b.printed]).toEqual([]);
    expect((await a.app.stores.outbox.pending()).length).toBe(FEEDS);
  }, 30_000);
});

describe.skipIf(!redisUp)('a bot and a worker', () => {
  it('the bot sends what the worker queued', async () => {
    const worker = await launch('worker');
    await vi.waitFor(() => expect(polledUrls([worker]).size).toBe(FEEDS), { timeout: 15_000 });
    const bot = await launch('bot');
    const titles = () =>
      bot.printed
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { item: { title: string } }).item.title);
    await vi.waitFor(() => expect(titles()).toHaveLength(FEEDS), { timeout: 10_000 });
    expect(new Set(titles())).toEqual(
      new Set(Array.from({ length: FEEDS }, (_, i) => `Harbour report ${i}: ferries run late`)),
    );
    expect(worker.printed).toEqual([]);
    // A delivery leaves the outbox after it is printed: the last removal may still be on its way.
    await vi.waitFor(async () => expect(await bot.app.stores.outbox.pending()).toEqual([]), {
      timeout: 5_000,
    });
    // The bot polls nothing itself.
    expect(bot.outcomes).toEqual([]);
  }, 30_000);
});

describe.skipIf(!redisUp)('a worker in Discord mode', () => {
  it('is healthy without a gateway session: it never logs in', async () => {
    const worker = await launch('worker', {
      DISCORD_TOKEN: 'MTAwMDAwMDAwMDAwMDAwMDAx.roles-test-token',
      // Nothing listens here: a worker must never call Discord to be healthy.
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
      HTTP_PORT: '0',
    });
    const res = await fetch(`${worker.app.http!.url}/healthz`);
    expect(await res.json()).toMatchObject({ ok: true, reasons: [] });
    expect(res.status).toBe(200);
  }, 30_000);
});
