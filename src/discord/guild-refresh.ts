import type { LiveCatalog } from '../catalog/live-catalog';
import type { GuildCatalogRepo } from '../store/guild-catalog';

/**
 * Reads every guild's topics and feeds from the store into the live catalogue, changing only the
 * guilds whose entry changed (each change recompiles the matcher). A single process reads them
 * once, at start, and then changes both itself; with roles, a guild's `/feed add` reaches the
 * bot that answered it, so the workers (and a standby bot, which takes over later) read again.
 */
export function guildRefresher(
  repo: Pick<GuildCatalogRepo, 'all'>,
  catalog: Pick<LiveCatalog, 'setGuild'>,
): () => Promise<void> {
  const known = new Map<string, string>();
  return async () => {
    const entries = await repo.all();
    const seen = new Set<string>();
    for (const g of entries) {
      seen.add(g.guildId);
      const text = JSON.stringify([g.topics, g.feeds]);
      if (known.get(g.guildId) === text) continue;
      known.set(g.guildId, text);
      catalog.setGuild(g.guildId, g);
    }
    for (const guildId of known.keys()) {
      if (seen.has(guildId)) continue;
      known.delete(guildId);
      catalog.setGuild(guildId, { topics: [], feeds: [] });
    }
  };
}
