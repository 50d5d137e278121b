/**
 * Discord mode's wiring, loaded by the composition root (src/app.ts) only when DISCORD_TOKEN is
 * set: discord.js and the command modules are not loaded in console mode.
 */
import { INPUT_LIMITS } from '../services/validate';
import type { LoadCommands } from './command';
import type { LiveCatalog } from '../catalog/live-catalog';
import type { Env } from '../config/env';
import { createTopicsFileEditor } from '../config/topics-file-editor';
import { PAUSED_RECHECK_MS } from '../delivery/drain';
import type { DeliveryMode } from '../worker/delivery-mode';
import type { Fetcher } from '../feeds/fetch';
import type { Logger } from '../log';
import { createQueryService } from '../query/archive-query';
import { createStoryQuery } from '../query/story-query';
import { createStoryIndex } from '../store/story-index';
import { createGuildCatalogRepo } from '../store/guild-catalog';
import type { KV } from '../store/kv';
import { createSubscriptionsRepo } from '../store/subscriptions';
import { createCrosspostLanesRepo } from '../store/crosspost-lanes';
import type { FeedStores } from '../worker/process-feed';
import { createBot, type Bot } from './bot';
import { createChannelHealth } from './channel-health';
import { createDiscordClient } from './client';
import type { Services } from './command';
import { createCrosspostQueue } from './crosspost-queue';
import { createDiscordSink } from './discord-sink';
import { createFeedAlerts } from './feed-alerts';
import { guildRefresher } from './guild-refresh';
import { createNotices } from './notices';
import { createCommandRouter } from './router';
import { createBacktestService } from '../services/backtest';
import { createBriefingService } from '../services/briefings';
import { createFeedService } from '../services/feeds';
import { createSubscriptionService } from '../services/subscriptions';
import { createTopicService } from '../services/topics';
import { subscriptionRouter } from './subscription-router';

/** /topic test answers within an interaction's time even on a busy archive: the newest items tell most. */
const BACKTEST_SAMPLE = 5000;

/** Discord mode's handles: present when DISCORD_TOKEN is set. */
export interface DiscordApp {
  bot: Bot;
  services: Services;
  /** Reads guilds' topics and feeds again, for processes that share them (`start --role`). */
  refreshGuilds: () => Promise<void>;
}

/** What Discord mode is built on: the parts console mode has too. */
export interface Shared {
  env: Env & { DISCORD_TOKEN: string };
  /** Where config/topics.yaml is: owners' edits of global topics are written there. */
  configDir: string;
  logger: Logger;
  clock: () => Date;
  kv: KV;
  stores: FeedStores;
  fetcher: Fetcher;
  catalog: LiveCatalog;
  loadCommands: LoadCommands;
}

/**
 * Discord mode: subscriptions route items, the Discord sink posts them, and the gateway client
 * answers slash commands through services shared with the CLI.
 */
export async function discordMode(s: Shared): Promise<DeliveryMode & { discord: DiscordApp }> {
  const { env, logger, clock, kv, stores, catalog } = s;
  const subscriptions = createSubscriptionsRepo(kv);
  const crosspostLanes = createCrosspostLanesRepo(kv);
  const guildCatalog = createGuildCatalogRepo(kv);
  const refreshGuilds = guildRefresher(guildCatalog, catalog);
  await refreshGuilds();

  const client = createDiscordClient({ token: env.DISCORD_TOKEN, apiUrl: env.DISCORD_API_URL });
  const systemChannelOf = (guildId: string) =>
    client.guilds.cache.get(guildId)?.systemChannelId ?? undefined;
  const notices = createNotices({ rest: client.rest, systemChannelOf, subscriptions, logger });
  const subscriptionTopic = (matchId: string) => catalog.subscribersOf(matchId).topicKey;
  const health = createChannelHealth({
    subscriptions,
    outbox: stores.outbox,
    notices,
    subscriptionTopic,
    clock,
    logger,
  });
  const archiveDays = env.ARCHIVE_DAYS;
  const topics = createTopicService({
    catalog,
    guildCatalog,
    subscriptions,
    ownerIds: env.OWNER_IDS,
    topicsFile: createTopicsFileEditor(s.configDir),
    clock,
  });
  const query = createQueryService(stores.archive, { now: clock });
  const briefings = createBriefingService({
    query,
    stories: createStoryQuery({
      query,
      archive: stores.archive,
      // Stores built without story routing (some tests) still have their items' stories read.
      stories:
        stores.stories?.stories ??
        createStoryIndex(kv, { retentionMs: stores.archive.retentionMs }),
      now: clock,
    }),
    catalog,
    topics,
    subscriptions,
    clock,
    archiveDays,
  });
  const services: Services = {
    briefings,
    topics,
    subscriptions: createSubscriptionService({
      subscriptions,
      crosspostLanes,
      topics,
      briefings,
      health,
      clock,
    }),
    feeds: createFeedService({
      catalog,
      guildCatalog,
      feedState: stores.feedState,
      subscriptions,
      fetcher: s.fetcher,
      clock,
    }),
    backtest: createBacktestService({
      archive: stores.archive,
      resolveTopic: (guildId, ref) => topics.resolve(guildId!, ref).def,
      groups: () => catalog.groups(),
      clock,
      archiveDays,
      sample: BACKTEST_SAMPLE,
      queryLimit: INPUT_LIMITS.query,
    }),
    names: catalog,
  };
  const router = createCommandRouter(await s.loadCommands(), services, logger);
  const feedAlerts = createFeedAlerts({
    feedState: stores.feedState,
    subscriptions,
    notices,
    feedName: catalog.feedName,
    clock,
    logger,
  });
  const alerting = new Set<Promise<void>>();
  const crossposts = createCrosspostQueue({
    rest: client.rest,
    lanes: crosspostLanes,
    clock,
    logger,
  });
  return {
    sink: createDiscordSink({
      rest: client.rest,
      topicName: catalog.topicName,
      storyPosts: stores.stories?.posts,
      subscriptions,
      subscriptionTopic,
      applicationId: () => client.application?.id ?? client.user?.id ?? '',
      botUserId: () => client.user?.id ?? '',
      crossposts,
      clock,
      logger,
    }),
    route: subscriptionRouter({ subscriptions, catalog, pausedHoldMs: PAUSED_RECHECK_MS }),
    onResult: (deliveries, result) => health.onResult(deliveries, result),
    onOutcome: (outcome, group) => {
      const alert: Promise<void> = feedAlerts(outcome, group)
        .catch((error: unknown) => logger.warn('feed alert failed', { feedUrl: group.url, error }))
        .finally(() => alerting.delete(alert));
      alerting.add(alert);
    },
    // Crossposts beyond Discord's hourly allowance wait in the queue: each round publishes what is due.
    settle: () => Promise.all([...alerting, crossposts.drain()]),
    discord: {
      bot: createBot({ client, token: env.DISCORD_TOKEN, router, logger }),
      services,
      refreshGuilds,
    },
  };
}
