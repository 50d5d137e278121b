import type { LoadCommands } from './discord/command';
import { createLiveCatalog } from './catalog/live-catalog';
import {
  feedsPath,
  loadCatalog,
  loadFeeds,
  loadTopics,
  topicsPath,
  type Catalog,
} from './config/catalog';
import type { Env } from './config/env';
import type { FeedDef } from './domain/feed';
import { watchConfigFiles } from './config/watch';
import { buildBriefing } from './delivery/build-briefing';
import { createConsoleSink } from './delivery/console-sink';
import { drainOutbox } from './delivery/drain';
import type { DeliveryMode } from './worker/delivery-mode';
import type { DiscordApp } from './discord/mode';
import { createFetcher, type Fetcher } from './feeds/fetch';
import type { Logger } from './log';
import { checkHealth } from './observe/health';
import { startObserveServer, type ObserveServer } from './observe/http';
import { lastRoundAt, observe } from './observe/metrics';
import { createArchiveRepo } from './store/archive';
import { createFeedStateRepo } from './store/feed-state';
import { openStore, type KV } from './store/kv';
import { createOutboxRepo } from './store/outbox';
import { createPageImagesRepo } from './store/page-images';
import { createPostBudgetRepo } from './store/post-budget';
import { createSeenRepo } from './store/seen';
import { createStoryIndex } from './store/story-index';
import { createStoryPostsRepo } from './store/story-posts';
import { withStory } from './delivery/story-briefing';
import type { TopicsFile } from './topics/schema';
import type { FeedStores } from './worker/process-feed';
import { consoleRouter } from './delivery/console-router';
import type { PolledFeed } from './domain/feed';
import { createPageImages } from './worker/page-images';
import { createWorker, type Worker, type WorkerDeps } from './worker/worker';
import { createLeaseKeeper, type LeaseKeeper } from './worker/lease-keeper';
import type { JobEngine } from './jobs/engine';
import { leaseOf, queueUrlFor, type Role } from './jobs/roles';
import { PER_HOST_CONCURRENCY } from './feeds/fetch-options';

const DAY_MS = 86_400_000;
/** How soon a guild's new feed or topic reaches the other processes of a deployment. */
const GUILD_REFRESH_MS = 30_000;

export interface AppOptions {
  configDir: string;
  env: Env;
  logger: Logger;
  /** Where console-mode briefings are written. */
  output: { json: boolean; color: boolean; write: (text: string) => void };
  /** Reload config files when they change (the long-running `start`; not `poll --once`). */
  watchConfig?: boolean;
  onOutcome?: WorkerDeps['onOutcome'];
  /** @default () => new Date() */
  clock?: () => Date;
  /** The worker loop's timing (tests shorten it); the defaults suit production. */
  workerTiming?: Pick<WorkerDeps, 'tickMs' | 'storePauseMs'>;
  /** The slash commands, loaded only in Discord mode (see `LoadCommands`). */
  loadCommands: LoadCommands;
  /** What this process does (`start --role`, see src/jobs/roles.ts). @default 'all' */
  role?: Role;
}

export interface App {
  worker: Worker;
  stores: FeedStores;
  kv: KV;
  /** The operator's catalogue (config/*.yaml). */
  catalog(): Catalog;
  /** Every feed the worker polls: the operator's and every server's own. */
  feeds(): PolledFeed[];
  discord?: DiscordApp;
  /** The health and metrics listener, when HTTP_PORT is set. */
  http?: ObserveServer;
  /**
   * The lease of this process's role (`worker` for all, `sender` for a bot; a worker takes
   * none): the CLI acquires it (or waits for it) before the worker polls or sends, or Discord
   * logs in; close() gives it up.
   */
  lease?: LeaseKeeper;
  /** The job engine, for the roles that share work (worker, bot). */
  jobs?: JobEngine;
  close(): Promise<void>;
}

/**
 * The composition root: the only place that constructs services and wires them together (with
 * src/discord/mode.ts, its Discord half, imported only when there is a token).
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { env, logger } = options;
  const role = options.role ?? 'all';
  const clock = options.clock ?? (() => new Date());
  // Checked before anything connects: a role without a job engine cannot start.
  const queueUrl = queueUrlFor(role, env);
  const catalog = createLiveCatalog(await loadCatalog(options.configDir), {
    onInvalidTopic: (topic, error) =>
      logger.warn('guild topic no longer compiles; it is skipped', { topic, error: error.message }),
  });
  const kv = await openStore(env.STORE_URL, {
    prefix: env.STORE_PREFIX,
    timeoutMs: env.STORE_TIMEOUT_SECONDS * 1000,
  });
  // Loaded only for the roles that share work: the single process never loads BullMQ or ioredis.
  const jobs = queueUrl
    ? (await import('./jobs/engine')).openJobEngine({
        url: queueUrl,
        role,
        storePrefix: env.STORE_PREFIX,
        concurrency: env.FETCH_CONCURRENCY,
        lockMs: env.LEASE_SECONDS * 1000,
        perHost: PER_HOST_CONCURRENCY,
        logger,
        now: clock,
      })
    : undefined;
  const retentionMs = env.ARCHIVE_DAYS * DAY_MS;
  const stories = {
    stories: createStoryIndex(kv, { retentionMs }),
    posts: createStoryPostsRepo(kv, { retentionMs }),
  };
  const stores: FeedStores = {
    seen: createSeenRepo(kv, { ttlMs: retentionMs, clock }),
    archive: createArchiveRepo(kv, { retentionMs }),
    outbox: createOutboxRepo(kv),
    feedState: createFeedStateRepo(kv),
    budget: createPostBudgetRepo(kv, {
      perPoll: env.FEED_MAX_POSTS_PER_POLL,
      perChannelPerHour: env.CHANNEL_MAX_POSTS_PER_HOUR,
    }),
    stories,
  };
  const timeoutMs = env.FETCH_TIMEOUT_SECONDS * 1000;
  const fetcher: Fetcher = createFetcher({
    concurrency: env.FETCH_CONCURRENCY,
    connectTimeoutMs: Math.min(10_000, timeoutMs),
    headersTimeoutMs: Math.min(15_000, timeoutMs),
    bodyTimeoutMs: timeoutMs,
    maxBytes: Math.round(env.FETCH_MAX_MB * 1024 * 1024),
    allowPrivate: env.ALLOW_PRIVATE_FEEDS,
    allowCloudMetadata: env.ALLOW_CLOUD_METADATA_FEEDS,
    // Workers on several machines keep the per-host cap between them.
    sharedHostSlots: role === 'worker' ? jobs?.hostSlots : undefined,
    // Retry-After dates are read against the same clock that schedules the retry.
    now: () => clock().getTime(),
  });
  const token = env.DISCORD_TOKEN;
  // Loaded only with a token: discord.js and the commands cost ~50 MB that console mode never uses.
  const delivery: DeliveryMode & { discord?: DiscordApp } = token
    ? await (await import('./discord/mode')).discordMode({
        env: { ...env, DISCORD_TOKEN: token },
        configDir: options.configDir,
        logger,
        clock,
        kv,
        stores,
        fetcher,
        catalog,
        loadCommands: options.loadCommands,
      })
    : {
        sink: createConsoleSink({ ...options.output, storyPosts: stories.posts, now: clock }),
        route: consoleRouter(() => catalog.global.topics.topics.length > 0),
      };

  // Sent but not yet removed from the outbox when the store failed: never sent twice by this process.
  const settledUnrecorded = new Set<string>();
  const worker = createWorker({
    ...options.workerTiming,
    // The loop reads the catalogue each time it looks for due feeds: that is the round /healthz
    // watches. A bot polls nothing: its loop only sends and prunes.
    feeds: () => (observe.round(clock()), role === 'bot' ? [] : catalog.feeds()),
    match: (item) => catalog.match(item),
    route: delivery.route,
    stores,
    fetcher,
    drain:
      role === 'worker'
        ? undefined
        : async () => {
            await delivery.settle?.();
            return drainOutbox({
              outbox: stores.outbox,
              archive: stores.archive,
              sink: delivery.sink,
              brief: async (archived, d) =>
                withStory(
                  buildBriefing(archived, d, {
                    feedName: catalog.feedName,
                    topicName: catalog.topicName,
                  }),
                  d,
                  d.storyId ? await stories.stories.story(d.storyId) : undefined,
                  catalog.feedName,
                ),
              logger,
              now: clock,
              onResult: delivery.onResult,
              settledUnrecorded,
            });
          },
    logger,
    clock,
    // The seen set forgets after the retention window; older items must never look new.
    deliverWindowMs: retentionMs - DAY_MS,
    pageImages: env.OG_IMAGE
      ? createPageImages({
          fetcher,
          cache: createPageImagesRepo(kv),
          logger,
          // A page waits at most as long as a feed would; its briefings wait for it.
          timeoutMs: Math.min(10_000, timeoutMs),
        })
      : undefined,
    pollConcurrency: env.FETCH_CONCURRENCY,
    // Stories are pruned with the archive: their index covers only the window, hourly is plenty.
    prune: async (now) => {
      const removed = await stores.archive.prune(now);
      await stories.stories.prune(now);
      return removed;
    },
    onOutcome: (outcome, group) => {
      options.onOutcome?.(outcome, group);
      delivery.onOutcome?.(outcome, group);
    },
  });

  const leaseName = leaseOf(role);
  const lease = leaseName
    ? createLeaseKeeper({
        kv,
        name: leaseName,
        ttlMs: env.LEASE_SECONDS * 1000,
        logger,
        now: clock,
      })
    : undefined;

  const watcher = options.watchConfig
    ? watchConfigFiles(
        [
          {
            path: feedsPath(options.configDir),
            load: () => loadFeeds(options.configDir),
            apply: (f: FeedDef[]) => catalog.setGlobalFeeds(f),
          },
          {
            path: topicsPath(options.configDir),
            load: () => loadTopics(options.configDir),
            apply: (t: TopicsFile) => catalog.setGlobalTopics(t),
          },
        ],
        logger,
      )
    : undefined;

  // With roles, a guild's change is made by the bot that answered it: the others read it again.
  const guildRefresh =
    role !== 'all' && delivery.discord
      ? setInterval(() => {
          delivery.discord
            ?.refreshGuilds()
            .catch((error: unknown) =>
              logger.warn("guilds' topics and feeds not read again", { error }),
            );
        }, GUILD_REFRESH_MS)
      : undefined;
  guildRefresh?.unref();

  const app: App = {
    worker,
    stores,
    kv,
    catalog: () => catalog.global,
    feeds: () => catalog.feeds(),
    discord: delivery.discord,
    lease,
    jobs,
    async close() {
      clearInterval(guildRefresh);
      await app.http?.close();
      // The jobs running finish first (a job cut short would wait for its next run).
      await jobs?.close();
      await worker.stop();
      // Left to expire if the store cannot take the release: a standby waits a little longer.
      await lease?.release().catch((err) => logger.warn('lease not released', { error: err }));
      await watcher?.close();
      await delivery.discord?.bot.destroy();
      await fetcher.close();
      await kv.close();
    },
  };
  if (env.HTTP_PORT !== undefined) {
    // A worker never logs in: its health is the store's and its rounds'.
    const client = role === 'worker' ? undefined : delivery.discord?.bot.client;
    try {
      app.http = await startObserveServer({
        host: env.HTTP_HOST,
        port: env.HTTP_PORT,
        logger,
        health: () =>
          checkHealth({
            kv,
            clock,
            lastRoundAt,
            gatewayReady: client && (() => client.isReady()),
            standby: lease && (() => lease.waiting),
          }),
      });
    } catch (err) {
      await app.close();
      throw err;
    }
    logger.info(`health and metrics at ${app.http.url}/healthz and ${app.http.url}/metrics`);
  }
  return app;
}
