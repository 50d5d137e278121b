import { commandModules } from '../commands/index';
import { feedsPath, loadCatalog, loadFeeds, loadTopics, topicsPath, type Catalog } from './config/catalog';
import type { Env } from './config/env';
import type { FeedDef } from './config/feeds-file';
import { watchConfigFiles } from './config/watch';
import { buildBriefing } from './delivery/build-briefing';
import { createConsoleSink } from './delivery/console-sink';
import { drainOutbox, PAUSED_RECHECK_MS, type DrainDeps } from './delivery/drain';
import type { Sink } from './delivery/sink';
import { createBot, type Bot } from './discord/bot';
import { createLiveCatalog, type LiveCatalog } from './discord/catalog';
import { createChannelHealth } from './discord/channel-health';
import { createDiscordClient } from './discord/client';
import type { Services } from './discord/command';
import { createDiscordSink } from './discord/discord-sink';
import { createFeedAlerts } from './discord/feed-alerts';
import { createNotices } from './discord/notices';
import { createCommandRouter } from './discord/router';
import { createBacktestService } from './discord/services/backtest';
import { createBriefingService } from './discord/services/briefings';
import { createFeedService } from './discord/services/feeds';
import { createSubscriptionService } from './discord/services/subscriptions';
import { createTopicService } from './discord/services/topics';
import { subscriptionRouter } from './discord/subscription-router';
import { createFetcher, type Fetcher } from './feeds/fetch';
import type { Logger } from './log';
import { createQueryService } from './query/archive-query';
import { createArchiveRepo } from './store/archive';
import { createFeedStateRepo } from './store/feed-state';
import { createGuildCatalogRepo } from './store/guild-catalog';
import { openStore, type KV } from './store/kv';
import { createOutboxRepo } from './store/outbox';
import { createSeenRepo } from './store/seen';
import { createSubscriptionsRepo } from './store/subscriptions';
import type { TopicsFile } from './topics/schema';
import type { FeedStores } from './worker/process-feed';
import { consoleRouter, type Router } from './worker/route';
import { createWorker, type Worker, type WorkerDeps } from './worker/worker';

const DAY_MS = 86_400_000;

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
}

/** Discord mode's handles: present when DISCORD_TOKEN is set. */
export interface DiscordApp {
  bot: Bot;
  services: Services;
}

export interface App {
  worker: Worker;
  stores: FeedStores;
  kv: KV;
  catalog(): Catalog;
  discord?: DiscordApp;
  close(): Promise<void>;
}

interface DeliveryMode {
  sink: Sink;
  route: Router;
  onResult?: DrainDeps['onResult'];
  onOutcome?: WorkerDeps['onOutcome'];
  /** Work started by onOutcome that the next drain waits for, so a poll round ends with it done. */
  settle?: () => Promise<unknown>;
  discord?: DiscordApp;
}

interface Shared {
  env: Env & { DISCORD_TOKEN: string };
  logger: Logger;
  clock: () => Date;
  kv: KV;
  stores: FeedStores;
  fetcher: Fetcher;
  catalog: LiveCatalog;
}

/**
 * Discord mode: subscriptions route items, the Discord sink posts them, and the gateway client
 * answers slash commands through services shared with the CLI.
 */
async function discordMode(s: Shared): Promise<DeliveryMode> {
  const { env, logger, clock, kv, stores, catalog } = s;
  const subscriptions = createSubscriptionsRepo(kv);
  const guildCatalog = createGuildCatalogRepo(kv);
  for (const g of await guildCatalog.all()) catalog.setGuild(g.guildId, g);

  const client = createDiscordClient({ token: env.DISCORD_TOKEN, apiUrl: env.DISCORD_API_URL });
  const systemChannelOf = (guildId: string) => client.guilds.cache.get(guildId)?.systemChannelId ?? undefined;
  const notices = createNotices({ rest: client.rest, systemChannelOf, subscriptions, logger });
  const subscriptionTopic = (matchId: string) => catalog.subscribersOf(matchId).topicKey;
  const health = createChannelHealth({ subscriptions, outbox: stores.outbox, notices, subscriptionTopic, clock, logger });
  const archiveDays = env.ARCHIVE_DAYS;
  const topics = createTopicService({ catalog, guildCatalog, subscriptions, ownerIds: env.OWNER_IDS, clock });
  const query = createQueryService(stores.archive, { now: clock });
  const briefings = createBriefingService({ query, catalog, topics, subscriptions, clock, archiveDays });
  const services: Services = {
    briefings,
    topics,
    subscriptions: createSubscriptionService({ subscriptions, topics, briefings, health, clock }),
    feeds: createFeedService({ catalog, guildCatalog, feedState: stores.feedState, subscriptions, fetcher: s.fetcher, clock }),
    backtest: createBacktestService({ archive: stores.archive, catalog, topics, clock, archiveDays }),
    names: catalog,
  };
  const router = createCommandRouter(commandModules, services, logger);
  const feedAlerts = createFeedAlerts({ feedState: stores.feedState, subscriptions, notices, feedName: catalog.feedName, clock, logger });
  const alerting = new Set<Promise<void>>();
  return {
    sink: createDiscordSink({ rest: client.rest, topicName: catalog.topicName }),
    route: subscriptionRouter({ subscriptions, catalog, pausedHoldMs: PAUSED_RECHECK_MS }),
    onResult: (deliveries, result) => health.onResult(deliveries, result),
    onOutcome: (outcome, group) => {
      const alert: Promise<void> = feedAlerts(outcome, group)
        .catch((error: unknown) => logger.warn('feed alert failed', { feedUrl: group.url, error }))
        .finally(() => alerting.delete(alert));
      alerting.add(alert);
    },
    settle: () => Promise.all(alerting),
    discord: { bot: createBot({ client, token: env.DISCORD_TOKEN, router, logger }), services },
  };
}

/** The composition root: the only place that constructs services and wires them together. */
export async function createApp(options: AppOptions): Promise<App> {
  const { env, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const catalog = createLiveCatalog(await loadCatalog(options.configDir), {
    onInvalidTopic: (topic, error) => logger.warn('guild topic no longer compiles; it is skipped', { topic, error: error.message }),
  });
  const kv = await openStore(env.STORE_URL);
  const retentionMs = env.ARCHIVE_DAYS * DAY_MS;
  const stores: FeedStores = {
    seen: createSeenRepo(kv, { ttlMs: retentionMs }),
    archive: createArchiveRepo(kv, { retentionMs }),
    outbox: createOutboxRepo(kv),
    feedState: createFeedStateRepo(kv),
  };
  const timeoutMs = env.FETCH_TIMEOUT_SECONDS * 1000;
  const fetcher: Fetcher = createFetcher({
    concurrency: env.FETCH_CONCURRENCY,
    connectTimeoutMs: Math.min(10_000, timeoutMs),
    headersTimeoutMs: Math.min(15_000, timeoutMs),
    bodyTimeoutMs: timeoutMs,
    maxBytes: Math.round(env.FETCH_MAX_MB * 1024 * 1024),
    allowPrivate: env.ALLOW_PRIVATE_FEEDS,
    // Retry-After dates are read against the same clock that schedules the retry.
    now: () => clock().getTime(),
  });
  const token = env.DISCORD_TOKEN;
  const delivery: DeliveryMode = token
    ? await discordMode({ env: { ...env, DISCORD_TOKEN: token }, logger, clock, kv, stores, fetcher, catalog })
    : { sink: createConsoleSink(options.output), route: consoleRouter(() => catalog.global.topics.topics.length > 0) };

  const worker = createWorker({
    ...options.workerTiming,
    feeds: () => catalog.feeds(),
    match: (item) => catalog.match(item),
    route: delivery.route,
    stores,
    fetcher,
    drain: async () => {
      await delivery.settle?.();
      await drainOutbox({
        outbox: stores.outbox,
        archive: stores.archive,
        sink: delivery.sink,
        brief: (archived, d) => buildBriefing(archived, d, { feedName: catalog.feedName, topicName: catalog.topicName }),
        logger,
        now: clock,
        onResult: delivery.onResult,
      });
    },
    logger,
    clock,
    // The seen set forgets after the retention window; older items must never look new.
    deliverWindowMs: retentionMs - DAY_MS,
    pollConcurrency: env.FETCH_CONCURRENCY,
    prune: (now) => stores.archive.prune(now),
    onOutcome: (outcome, group) => {
      options.onOutcome?.(outcome, group);
      delivery.onOutcome?.(outcome, group);
    },
  });

  const watcher = options.watchConfig
    ? watchConfigFiles(
        [
          { path: feedsPath(options.configDir), load: () => loadFeeds(options.configDir), apply: (f: FeedDef[]) => catalog.setGlobalFeeds(f) },
          { path: topicsPath(options.configDir), load: () => loadTopics(options.configDir), apply: (t: TopicsFile) => catalog.setGlobalTopics(t) },
        ],
        logger,
      )
    : undefined;

  return {
    worker,
    stores,
    kv,
    catalog: () => catalog.global,
    discord: delivery.discord,
    async close() {
      await worker.stop();
      await watcher?.close();
      await delivery.discord?.bot.destroy();
      await fetcher.close();
      await kv.close();
    },
  };
}
