import { parseOpml } from '../config/opml';
import { writeOpml } from '../config/opml-write';
import { oneLine } from '../delivery/briefing';
import { clip } from '../delivery/discord-limits';
import { ConfigError, FeedError, UserError } from '../errors';
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
/** A server's OPML list is at most a few dozen feeds; 256 KB holds thousands of outlines. */
export const MAX_OPML_UPLOAD_BYTES = 256 * 1024;
/**
 * Feeds one import tries: each is a discovery fetch within one command's reply time, and the
 * server holds MAX_GUILD_FEEDS anyway.
 */
export const MAX_OPML_IMPORT = MAX_GUILD_FEEDS;

/** An attached file as the platform describes it: where to download it, and its size. */
export interface OpmlUpload {
  url: string;
  name: string;
  size: number;
}

export interface OpmlImport {
  added: GuildFeed[];
  skipped: Array<{ url: string; reason: string }>;
}

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

  /** Finds the feed behind a website or feed URL and adds it to the guild's feeds. */
  async function add(
    guildId: string,
    userId: string,
    rawUrl: string,
    name?: string,
  ): Promise<GuildFeed> {
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
  }

  return {
    add,

    /**
     * Adds the feeds of an OPML file a member attached, each exactly as `/feed add` would (the
     * guild feed guard, discovery, the server's cap), and says what was skipped and why. The
     * file is fetched as untrusted, like any URL a member gives.
     */
    async importOpml(guildId: string, userId: string, file: OpmlUpload): Promise<OpmlImport> {
      if (file.size > MAX_OPML_UPLOAD_BYTES)
        throw new UserError(
          `That file is ${Math.ceil(file.size / 1024)} KB; an OPML import takes at most ${MAX_OPML_UPLOAD_BYTES / 1024} KB.`,
        );
      const fetched = await deps.fetcher
        .fetch({ url: file.url, trust: 'untrusted' })
        .catch((err: unknown) => {
          if (err instanceof FeedError)
            throw new UserError(`The file could not be read: ${err.message}`);
          throw err;
        });
      if (fetched.kind !== 'ok' || fetched.bytes > MAX_OPML_UPLOAD_BYTES)
        throw new UserError('The file could not be read.');
      let listed: string[];
      const name = clip(oneLine(file.name), 64) || 'the file';
      try {
        listed = [...new Set(parseOpml(fetched.body, name).feeds.map((f) => f.url))];
      } catch (err) {
        if (err instanceof ConfigError)
          throw new UserError(`That is not an OPML file I can read: ${err.message}`);
        throw err;
      }
      if (listed.length === 0)
        throw new UserError(`${name} lists no feeds (no outline has an \`xmlUrl\`).`);
      const result: OpmlImport = { added: [], skipped: [] };
      for (const url of listed.slice(0, MAX_OPML_IMPORT)) {
        try {
          result.added.push(await add(guildId, userId, url));
        } catch (err) {
          if (!(err instanceof UserError)) throw err;
          result.skipped.push({ url, reason: err.message });
        }
      }
      for (const url of listed.slice(MAX_OPML_IMPORT))
        result.skipped.push({ url, reason: `an import reads the first ${MAX_OPML_IMPORT} feeds` });
      return result;
    },

    /** The server's own feeds as OPML, the shape every reader imports. */
    exportOpml(guildId: string): { opml: string; count: number } {
      const feeds = deps.catalog.guildFeeds(guildId);
      const opml = writeOpml(
        feeds.map((f) => ({ url: f.url, name: f.name })),
        { title: "briefing-bot: this server's feeds", now: deps.clock() },
      );
      return { opml, count: feeds.length };
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
