import type { Catalog } from '../config/catalog';
import type { FeedDef } from '../domain/feed';
import { QueryError } from '../errors';
import type { Item } from '../domain/item';
import type { GuildFeed, GuildTopic } from '../store/guild-catalog';
import { compileTopics, type ItemMatch, type Matcher } from '../topics/compile';
import type { Groups, TopicDef, TopicsFile } from '../topics/schema';
import type { PolledFeed } from '../domain/feed';
import { scopeMatches, scopedId, splitScoped } from './scope';

/** How often a guild's feeds are polled; guilds cannot choose (the operator pays for the fetches). */
export const GUILD_FEED_INTERVAL_MS = 15 * 60_000;

/** A topic as one guild sees it: `id` is what people type, `key` what the matcher and store use. */
export interface TopicEntry {
  key: string;
  id: string;
  scope: 'global' | 'guild';
  def: TopicDef;
}

export interface LiveCatalog {
  /** The operator's files as last loaded. */
  readonly global: Catalog;
  /** One matcher over every topic, global and guild; rebuilt whenever a topic changes. */
  readonly matcher: Matcher;
  /** The item's matches, named for who may see them (scope.ts), and its tokens. */
  match(item: Item): ItemMatch;
  /**
   * The subscriptions a match id answers to: the topic whose subscribers get it, and the one
   * guild they must be in when the match is scoped (a guild topic, or a guild feed's item).
   */
  subscribersOf(matchId: string): { topicKey: string; guildId?: string };
  /** Every feed to poll: the operator's (trusted) and the guilds' (untrusted). */
  feeds(): PolledFeed[];
  groups(): Groups;
  /** Global topics, then the guild's own; a guild topic never shares an id with a global one it shadows. */
  topicsIn(guildId: string): TopicEntry[];
  /** A topic by its key, or by a match id naming a global topic for one guild (`G_t`). */
  topicByKey(key: string): TopicEntry | undefined;
  feedName(feedId: string): string;
  topicName(topicKey: string): string;
  guildFeeds(guildId: string): GuildFeed[];
  setGlobalFeeds(feeds: FeedDef[]): void;
  setGlobalTopics(topics: TopicsFile): void;
  setGuild(guildId: string, entry: { topics?: GuildTopic[]; feeds?: GuildFeed[] }): void;
}

export interface LiveCatalogOptions {
  /** Told about a guild topic that no longer compiles (e.g. the operator removed a group it used). */
  onInvalidTopic?: (key: string, error: QueryError) => void;
}

const compiles = (topic: TopicDef, groups: Groups) => {
  try {
    compileTopics([topic], groups);
    return undefined;
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
};

export function createLiveCatalog(initial: Catalog, options: LiveCatalogOptions = {}): LiveCatalog {
  let global = initial;
  const guilds = new Map<string, { topics: GuildTopic[]; feeds: GuildFeed[] }>();
  let matcher: Matcher = compileTopics(global.topics.topics, global.topics.groups);
  let byKey = new Map<string, TopicEntry>();

  function rebuild() {
    const { groups } = global.topics;
    const entries: TopicEntry[] = global.topics.topics.map((def) => ({
      key: def.id,
      id: def.id,
      scope: 'global',
      def,
    }));
    for (const [guildId, g] of guilds) {
      for (const t of g.topics) {
        const def: TopicDef = { id: t.id, name: t.name, query: t.query, minScore: t.minScore };
        entries.push({ key: scopedId(guildId, t.id), id: t.id, scope: 'guild', def });
      }
    }
    const compiled = (list: TopicEntry[]) =>
      compileTopics(
        list.map((e) => ({ ...e.def, id: e.key })),
        groups,
      );
    let next: Matcher;
    try {
      next = compiled(entries);
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      // Global topics were validated as a file; a guild topic can break when a group it uses goes.
      const valid = entries.filter((e) => {
        const problem = e.scope === 'guild' ? compiles(e.def, groups) : undefined;
        if (problem) options.onInvalidTopic?.(e.key, problem);
        return !problem;
      });
      next = compiled(valid);
    }
    matcher = next;
    byKey = new Map(entries.map((e) => [e.key, e]));
  }
  rebuild();

  const guildFeedDefs = (): PolledFeed[] =>
    [...guilds].flatMap(([guildId, g]) =>
      g.feeds.map((f) => ({
        id: scopedId(guildId, f.id),
        url: f.url,
        name: f.name,
        interval: GUILD_FEED_INTERVAL_MS,
        backfill: 0,
        trust: 'untrusted' as const,
      })),
    );
  const allFeeds = (): PolledFeed[] => [
    ...global.feeds.map((f) => ({ ...f, trust: 'trusted' as const })),
    ...guildFeedDefs(),
  ];
  let feeds = allFeeds();

  return {
    get global() {
      return global;
    },
    get matcher() {
      return matcher;
    },
    feeds: () => feeds,
    match(item) {
      const { matches, tokens } = matcher.read(item);
      return { matches: scopeMatches(matches, item.feedId), tokens };
    },
    subscribersOf(matchId) {
      const { guildId, id } = splitScoped(matchId);
      if (guildId === undefined || byKey.has(matchId)) return { topicKey: matchId, guildId };
      return { topicKey: byKey.get(id)?.scope === 'global' ? id : matchId, guildId };
    },
    groups: () => global.topics.groups,
    topicsIn(guildId) {
      const own = guilds.get(guildId)?.topics ?? [];
      const ownIds = new Set(own.map((t) => t.id));
      return [
        ...[...byKey.values()].filter((e) => e.scope === 'global' && !ownIds.has(e.id)),
        ...own.flatMap((t) => byKey.get(scopedId(guildId, t.id)) ?? []),
      ];
    },
    topicByKey(key) {
      const found = byKey.get(key);
      if (found) return found;
      const base = byKey.get(splitScoped(key).id);
      return base?.scope === 'global' ? base : undefined;
    },
    feedName(feedId) {
      const { guildId, id } = splitScoped(feedId);
      const found = guildId
        ? guilds.get(guildId)?.feeds.find((f) => f.id === id)
        : global.feeds.find((f) => f.id === id);
      return found?.name ?? id;
    },
    topicName(key) {
      const found = byKey.get(key) ?? byKey.get(splitScoped(key).id);
      return found?.def.name ?? splitScoped(key).id;
    },
    guildFeeds: (guildId) => guilds.get(guildId)?.feeds ?? [],
    setGlobalFeeds(next) {
      global = { ...global, feeds: next };
      feeds = allFeeds();
    },
    setGlobalTopics(next) {
      global = { ...global, topics: next };
      rebuild();
    },
    setGuild(guildId, entry) {
      const current = guilds.get(guildId) ?? { topics: [], feeds: [] };
      guilds.set(guildId, {
        topics: entry.topics ?? current.topics,
        feeds: entry.feeds ?? current.feeds,
      });
      if (entry.topics) rebuild();
      if (entry.feeds) feeds = allFeeds();
    },
  };
}
