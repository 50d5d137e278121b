/**
 * A deployment of the built CLI as separate processes on one Redis: `workers` worker processes
 * and (optionally) a bot process, against the fake Discord (in the test's process: it is where
 * deliveries are counted) with one channel subscribed to a topic every wire item matches — or in
 * console mode, with the caller's topics (the bench's scaling section). Each
 * run has its own key prefix (STORE_PREFIX), so runs share the Redis on 6379 without meeting,
 * and its keys are deleted at close. Workers are killed and restarted by slot number.
 *
 * ```ts
 * const fleet = await startFleet({ feedUrls: wire.urls, interval: '4s', workers: 3,
 *   roles: { worker: ['start', '--role', 'worker'], bot: ['start', '--role', 'bot'] } });
 * await fleet.killWorker(1);        // SIGKILL, waits for the exit
 * fleet.startWorker(1);             // a new process in the same slot
 * await fleet.stop();               // SIGTERM to all; each must exit 0
 * ```
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { createFeedStateRepo } from '../../../src/store/feed-state';
import { openStore, type KV } from '../../../src/store/kv';
import { createOutboxRepo } from '../../../src/store/outbox';
import { createSubscriptionsRepo } from '../../../src/store/subscriptions';
import type { Delivery } from '../../../src/domain/delivery';
import { GUILD, GUILDS, NEWS, TOKEN } from '../bot-harness';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord';
import { type CliRun, type Exit, exitWithin, runCli } from '../reliability/child-cli';
import { REDIS_URL } from '../stores';

export const CHANNEL = NEWS;

export interface FleetOptions {
  feedUrls: string[];
  /** Every feed's poll interval, as feeds.yaml writes it (`4s`, `10m`). */
  interval: string;
  workers: number;
  /** The arguments that start a worker, and a bot (none: the workers do everything). */
  roles: { worker: string[]; bot?: string[] };
  /** Added to every process's environment. */
  env?: Record<string, string>;
  /**
   * `false`: console mode (no token; the bot prints what it sends) and these topics.yaml
   * contents instead of the one topic `report`. @default true
   */
  discord?: boolean;
  topicsYaml?: string;
}

export interface Fleet {
  /** Undefined in console mode. */
  readonly fake: FakeDiscord | undefined;
  readonly dir: string;
  /** The store as the processes see it (same Redis, same prefix), for the test to look inside. */
  readonly kv: KV;
  /** The process now running in a worker slot (the latest one started there). */
  worker(slot: number): CliRun;
  readonly bot: CliRun | undefined;
  /** Every process started so far, killed ones included, with what it was. */
  readonly history: Array<{ name: string; run: CliRun }>;
  startWorker(slot: number): CliRun;
  /** SIGKILLs the slot's process and resolves once it is gone. */
  killWorker(slot: number): Promise<Exit>;
  /** How many of the feeds have been seen once (their first sight archived, nothing posted). */
  primedFeeds(): Promise<number>;
  pendingDeliveries(): Promise<Delivery[]>;
  /** SIGTERM to every running process; resolves with their exits, by name. */
  stop(): Promise<Array<{ name: string; exit: Exit }>>;
  /** Kills what still runs, deletes the run's keys and folder, closes the fake Discord. */
  close(): Promise<void>;
}

const run = promisify(execFile);

/** Deletes every key under the prefix (the store's and the job engine's): test runs leave nothing. */
async function deleteKeys(prefix: string): Promise<void> {
  const { port, hostname } = new URL(REDIS_URL);
  await run('redis-cli', [
    '-h',
    hostname,
    '-p',
    port || '6379',
    'EVAL',
    "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('UNLINK', k) end",
    '0',
    `${prefix}*`,
  ]);
}

/** The fake Discord, and CHANNEL subscribed (in the store) to the topic every wire item matches. */
async function discordWithSubscriber(kv: KV): Promise<FakeDiscord> {
  const fake = await startFakeDiscord({ guilds: GUILDS, token: TOKEN });
  await createSubscriptionsRepo(kv).put({
    guildId: GUILD,
    channelId: CHANNEL,
    topicId: 'all',
    mode: 'instant',
    createdAt: new Date().toISOString(),
  });
  return fake;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const prefix = `mp-${process.pid}-${Date.now().toString(36)}:`;
  const dir = await mkdtemp(join(tmpdir(), 'briefing-fleet-'));
  const feeds = options.feedUrls.map((url, n) => ({
    id: `wire-${n}`,
    url,
    interval: options.interval,
  }));
  await writeFile(join(dir, 'feeds.yaml'), stringify({ feeds }));
  await writeFile(
    join(dir, 'topics.yaml'),
    options.topicsYaml ??
      stringify({ topics: [{ id: 'all', name: 'Everything', query: 'report' }] }),
  );
  const kv = await openStore(REDIS_URL, { prefix });
  const fake = options.discord === false ? undefined : await discordWithSubscriber(kv);

  const env = {
    ...(fake && { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl }),
    STORE_URL: REDIS_URL,
    STORE_PREFIX: prefix,
    // Every item is posted on its own: the default hourly cap per channel would fold most of them.
    CHANNEL_MAX_POSTS_PER_HOUR: '3600',
    ...options.env,
  };
  const history: Array<{ name: string; run: CliRun }> = [];
  const spawn = (name: string, args: string[]) => {
    const child = runCli([...args, '--config', dir], env, { cwd: dir });
    history.push({ name, run: child });
    return child;
  };
  const slots: CliRun[] = [];
  const startWorker = (slot: number) =>
    (slots[slot] = spawn(`worker ${slot}`, options.roles.worker));
  const bot = options.roles.bot && spawn('bot', options.roles.bot);
  for (let slot = 0; slot < options.workers; slot++) startWorker(slot);

  const running = () =>
    history.filter(({ run }) => run.child.exitCode === null && run.child.signalCode === null);
  const feedState = createFeedStateRepo(kv);

  return {
    fake,
    dir,
    kv,
    worker: (slot) => slots[slot]!,
    bot,
    history,
    startWorker,
    async killWorker(slot) {
      const victim = slots[slot]!;
      victim.kill('SIGKILL');
      return exitWithin(victim, 10_000);
    },
    async primedFeeds() {
      const primed = await Promise.all(feeds.map((f) => feedState.isPrimed(f.id)));
      return primed.filter(Boolean).length;
    },
    pendingDeliveries: () => createOutboxRepo(kv).pending(),
    async stop() {
      const live = running();
      for (const { run } of live) run.kill('SIGTERM');
      return Promise.all(
        live.map(async ({ name, run }) => ({ name, exit: await exitWithin(run, 20_000) })),
      );
    },
    async close() {
      for (const { run } of running()) run.kill('SIGKILL');
      await Promise.all(history.map(({ run }) => run.exited));
      await kv.close();
      await deleteKeys(prefix);
      await fake?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
