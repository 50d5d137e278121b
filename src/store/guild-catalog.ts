import { z } from 'zod';
import { TopicDefSchema } from '../topics/schema';
import type { KV } from './kv';

/** A topic a guild's admins wrote; its id is unique within the guild (shown as is, stored scoped). */
export const GuildTopicSchema = z.object({
  ...TopicDefSchema.shape,
  createdBy: z.string(),
  updatedAt: z.string(),
});
export type GuildTopic = z.infer<typeof GuildTopicSchema>;

/** A feed a guild's admins added: untrusted, polled like the operator's, delivered to that guild only. */
export const GuildFeedSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .max(64),
  url: z.url().max(2048),
  name: z.string().min(1).max(100),
  addedBy: z.string(),
  addedAt: z.string(),
});
export type GuildFeed = z.infer<typeof GuildFeedSchema>;

export interface GuildCatalogEntry {
  guildId: string;
  topics: GuildTopic[];
  feeds: GuildFeed[];
}

/** The topics and feeds guilds added from Discord, per guild. */
export interface GuildCatalogRepo {
  topics(guildId: string): Promise<GuildTopic[]>;
  /** Adds the topic, or replaces the guild's topic with the same id. */
  putTopic(guildId: string, topic: GuildTopic): Promise<void>;
  removeTopic(guildId: string, id: string): Promise<boolean>;
  feeds(guildId: string): Promise<GuildFeed[]>;
  putFeed(guildId: string, feed: GuildFeed): Promise<void>;
  removeFeed(guildId: string, id: string): Promise<boolean>;
  /** Every guild's topics and feeds: read once at start to build the live catalogue. */
  all(): Promise<GuildCatalogEntry[]>;
}

const GUILDS = 'gcat:guilds';

export function createGuildCatalogRepo(kv: KV): GuildCatalogRepo {
  const topicsKey = (guildId: string) => `gcat:topics:${guildId}`;
  const feedsKey = (guildId: string) => `gcat:feeds:${guildId}`;

  // A record an incompatible version wrote is skipped rather than crashing the whole catalogue.
  const parseList = <T>(schema: z.ZodType<T>, raw: unknown): T[] =>
    Array.isArray(raw)
      ? raw.flatMap((r) => {
          const parsed = schema.safeParse(r);
          return parsed.success ? [parsed.data] : [];
        })
      : [];

  /** Changes one guild's list (`change` answers undefined to leave it), indexing the guild. */
  const editList = <T extends { id: string }>(
    guildId: string,
    key: string,
    schema: z.ZodType<T>,
    change: (list: T[]) => T[] | undefined,
  ) =>
    kv.update([GUILDS, key], ([guilds, raw]) => {
      const next = change(parseList(schema, raw));
      if (next === undefined) return { writes: [], result: false };
      const ids = (guilds as string[] | undefined) ?? [];
      // The index and the list change together: a guild's data is never missed at start.
      const writes = [{ key, value: next as unknown }];
      if (!ids.includes(guildId)) writes.push({ key: GUILDS, value: [...ids, guildId] });
      return { writes, result: true };
    });
  const put = async <T extends { id: string }>(
    guildId: string,
    key: string,
    schema: z.ZodType<T>,
    value: T,
  ) => {
    const parsed = schema.parse(value);
    await editList(guildId, key, schema, (list) => [
      ...list.filter((x) => x.id !== parsed.id),
      parsed,
    ]);
  };
  const remove = <T extends { id: string }>(
    guildId: string,
    key: string,
    schema: z.ZodType<T>,
    id: string,
  ) =>
    editList(guildId, key, schema, (list) =>
      list.some((x) => x.id === id) ? list.filter((x) => x.id !== id) : undefined,
    );

  return {
    topics: async (guildId) => parseList(GuildTopicSchema, await kv.get(topicsKey(guildId))),
    putTopic: (guildId, topic) => put(guildId, topicsKey(guildId), GuildTopicSchema, topic),
    removeTopic: (guildId, id) => remove(guildId, topicsKey(guildId), GuildTopicSchema, id),
    feeds: async (guildId) => parseList(GuildFeedSchema, await kv.get(feedsKey(guildId))),
    putFeed: (guildId, feed) => put(guildId, feedsKey(guildId), GuildFeedSchema, feed),
    removeFeed: (guildId, id) => remove(guildId, feedsKey(guildId), GuildFeedSchema, id),
    async all() {
      const guildIds = (await kv.get<string[]>(GUILDS)) ?? [];
      const raw = await kv.getMany(guildIds.flatMap((g) => [topicsKey(g), feedsKey(g)]));
      return guildIds.map((guildId, i) => ({
        guildId,
        topics: parseList(GuildTopicSchema, raw[2 * i]),
        feeds: parseList(GuildFeedSchema, raw[2 * i + 1]),
      }));
    },
  };
}
