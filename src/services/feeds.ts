import { UserError } from '../errors';
import type { Fetcher } from '../feeds/fetch';
import {
  type FeedStateRepo,
  type FetchState,
  groupKey,
  type SharedGuids,
} from '../store/feed-state';
import { scopedId } from '../catalog/scope';
import type { GuildCatalogRepo, GuildFeed } from '../store/guild-catalog';
import type { Subscription, SubscriptionsRepo } from '../store/subscriptions';
import type { LiveCatalog } from '../catalog/live-catalog';
import { INPUT_LIMITS, textOption } from './validate';
import { discoverFeed } from './feed-discovery';

/** Each guild feed is a fetch the operator's machine makes every 15 minutes. */
export const MAX_GUILD_FEEDS = 25;

export interface FeedServiceDeps {
  catalog: LiveCatalog;
  guildCatalog: GuildCatalogRepo;
  feedState: FeedStateRepo;
  subscriptions: SubscriptionsRepo;
  fetcher: Fetcher;
  clock: () => Date;
}

export interface FeedStatus {
  feed: GuildFeed;
  state: FetchState;
  /** Guids the feed gives several items: it is read by link and title instead. */
  sharedGuids?: SharedGuids;
}

/** `Energy News (RU)` → `energy-news-ru`; empty when nothing usable is left. */
export function slugOf(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

function uniqueId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export type FeedService = ReturnType<typeof createFeedService>;

export function createFeedService(deps: FeedServiceDeps) {
  const reload = async (guildId: string) =>
    deps.catalog.setGuild(guildId, { feeds: await deps.guildCatalog.feeds(guildId) });

  return {
    /** Finds the feed behind a website or feed URL and adds it to the guild's feeds. */
    async add(guildId: string, userId: string, rawUrl: string, name?: string): Promise<GuildFeed> {
      const url = textOption(rawUrl, 'The URL', INPUT_LIMITS.url);
      const label =
        name === undefined ? undefined : textOption(name, 'The name', INPUT_LIMITS.feedName);
      const existing = await deps.guildCatalog.feeds(guildId);
      if (existing.length >= MAX_GUILD_FEEDS)
        throw new UserError(
          `This server follows ${MAX_GUILD_FEEDS} feeds, the most it can; remove one first.`,
        );
      const found = await discoverFeed(deps.fetcher, url);
      const twin = existing.find((f) => f.url === found.url);
      if (twin) throw new UserError(`This server already follows that feed as \`${twin.id}\`.`);
      const host = new URL(found.url).hostname.replace(/^www\./, '');
      const title =
        label ?? (found.title?.trim() ? found.title.trim().slice(0, INPUT_LIMITS.feedName) : host);
      const feed: GuildFeed = {
        id: uniqueId(slugOf(title) || slugOf(host) || 'feed', new Set(existing.map((f) => f.id))),
        url: found.url,
        name: title,
        addedBy: userId,
        addedAt: deps.clock().toISOString(),
      };
      await deps.guildCatalog.putFeed(guildId, feed);
      await reload(guildId);
      return feed;
    },

    async remove(guildId: string, id: string): Promise<GuildFeed> {
      const feedId = id.trim().toLowerCase();
      const feed = (await deps.guildCatalog.feeds(guildId)).find((f) => f.id === feedId);
      if (!feed || !(await deps.guildCatalog.removeFeed(guildId, feedId))) {
        throw new UserError(
          `This server has no feed \`${feedId.slice(0, INPUT_LIMITS.feedId)}\`; \`/feed list\` shows them.`,
        );
      }
      await reload(guildId);
      return feed;
    },

    list(guildId: string) {
      return {
        guild: deps.catalog.guildFeeds(guildId),
        operator: deps.catalog.global.feeds.map((f) => ({ id: f.id, name: f.name ?? f.id })),
      };
    },

    /** The guild's feeds with their fetch state, and the guild's channels that refuse our posts. */
    async status(guildId: string): Promise<{ feeds: FeedStatus[]; paused: Subscription[] }> {
      const feeds = deps.catalog.guildFeeds(guildId);
      const states = await Promise.all(
        feeds.map((f) => deps.feedState.fetchState(groupKey(f.url, 'untrusted'))),
      );
      const guids = await Promise.all(
        feeds.map((f) => deps.feedState.sharedGuids(scopedId(guildId, f.id))),
      );
      const subs = await deps.subscriptions.forGuild(guildId);
      const paused = [
        ...new Map(subs.filter((s) => s.paused).map((s) => [s.channelId, s])).values(),
      ];
      return {
        feeds: feeds.map((feed, i) => ({
          feed,
          state: states[i]!,
          ...(guids[i] && { sharedGuids: guids[i] }),
        })),
        paused,
      };
    },
  };
}
