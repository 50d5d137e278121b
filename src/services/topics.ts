import { UserError } from '../errors';
import type { GuildCatalogRepo, GuildTopic } from '../store/guild-catalog';
import type { SubscriptionsRepo } from '../store/subscriptions';
import { DEFAULT_MIN_SCORE } from '../topics/schema';
import type { LiveCatalog, TopicEntry } from '../catalog/live-catalog';
import { createGlobalTopics, type GlobalTopicsDeps } from './global-topics';
import { suggestTopics, type TopicInput, topicChange } from './topic-input';
import { checkTopicQuery, INPUT_LIMITS, topicIdOption } from './validate';

/** Enough for a community's own interests; the matcher's cost grows with every topic of every guild. */
export const MAX_GUILD_TOPICS = 50;

export interface TopicServiceDeps extends GlobalTopicsDeps {
  catalog: LiveCatalog;
  guildCatalog: GuildCatalogRepo;
  subscriptions: SubscriptionsRepo;
  clock: () => Date;
}

export type TopicService = ReturnType<typeof createTopicService>;

export function createTopicService(deps: TopicServiceDeps) {
  const { catalog } = deps;
  const globals = createGlobalTopics(deps);

  function resolve(guildId: string, typed: string): TopicEntry {
    const id = typed.trim().toLowerCase();
    const found = catalog.topicsIn(guildId).find((t) => t.id === id);
    if (!found)
      throw new UserError(
        `There is no topic \`${id.slice(0, INPUT_LIMITS.topicRef)}\` here; \`/topics\` lists them.`,
      );
    return found;
  }

  async function save(guildId: string, topic: GuildTopic) {
    checkTopicQuery(topic, catalog.groups());
    await deps.guildCatalog.putTopic(guildId, topic);
    // Re-read rather than patch: two admins saving at once must both end up in the matcher.
    catalog.setGuild(guildId, { topics: await deps.guildCatalog.topics(guildId) });
  }

  return {
    resolve,
    list: (guildId: string) => catalog.topicsIn(guildId),

    suggest: (guildId: string, typed: string) => suggestTopics(catalog.topicsIn(guildId), typed),

    async add(
      guildId: string,
      userId: string,
      id: string,
      input: Required<Pick<TopicInput, 'name' | 'query'>> & TopicInput,
    ) {
      const topicId = topicIdOption(id);
      if (catalog.topicsIn(guildId).some((t) => t.id === topicId)) {
        throw new UserError(
          `A topic called \`${topicId}\` already exists here; pick another id, or use \`/topic edit\`.`,
        );
      }
      const topics = await deps.guildCatalog.topics(guildId);
      if (topics.length >= MAX_GUILD_TOPICS)
        throw new UserError(
          `This server has ${MAX_GUILD_TOPICS} topics, the most it can have; remove one first.`,
        );
      const { name, query, minScore } = topicChange(input);
      await save(guildId, {
        id: topicId,
        name: name!,
        query: query!,
        minScore: minScore ?? DEFAULT_MIN_SCORE,
        createdBy: userId,
        updatedAt: deps.clock().toISOString(),
      });
      return resolve(guildId, topicId);
    },

    async edit(guildId: string, userId: string, id: string, input: TopicInput) {
      const entry = resolve(guildId, id);
      if (entry.scope === 'global') globals.ensureOwner(entry, userId);
      if (input.name === undefined && input.query === undefined && input.minScore === undefined) {
        throw new UserError('Nothing to change: give a new `name`, `query` or `min_score`.');
      }
      if (entry.scope === 'global') {
        await globals.edit(entry, input);
        return resolve(guildId, entry.id);
      }
      const topics = await deps.guildCatalog.topics(guildId);
      const current = topics.find((t) => t.id === entry.id);
      if (!current)
        throw new UserError(`There is no topic \`${entry.id}\` here; \`/topics\` lists them.`);
      await save(guildId, {
        ...current,
        ...topicChange(input),
        updatedAt: deps.clock().toISOString(),
      });
      return resolve(guildId, entry.id);
    },

    /** Removes a guild topic and the guild's subscriptions to it; returns how many there were. */
    async remove(guildId: string, userId: string, id: string) {
      const entry = resolve(guildId, id);
      if (entry.scope === 'global') {
        globals.ensureOwner(entry, userId);
        // Every server's subscriptions hang on it: removing it is a decision for the file.
        throw new UserError(
          `\`${entry.id}\` is a global topic that every server can follow; remove it from config/topics.yaml.`,
        );
      }
      await deps.guildCatalog.removeTopic(guildId, entry.id);
      catalog.setGuild(guildId, { topics: await deps.guildCatalog.topics(guildId) });
      const unsubscribed = await deps.subscriptions.removeTopic(guildId, entry.key);
      return { entry, unsubscribed };
    },
  };
}
