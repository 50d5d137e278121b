import { loadCatalog, type Catalog } from '../config/catalog';
import { parseDuration } from '../config/duration';
import { buildBriefing, type BriefingLookups } from '../delivery/build-briefing';
import { renderConsoleBlock, renderConsoleJson } from '../delivery/render-console';
import { UserError } from '../errors';
import { createQueryService } from '../query/archive-query';
import { createStoryQuery } from '../query/story-query';
import { listedStory } from '../services/story-listing';
import { createStoryIndex } from '../store/story-index';
import { renderStoryBlock, renderStoryJson } from './story-output';
import { createArchiveRepo, type ArchiveRepo } from '../store/archive';
import { createGuildCatalogRepo, type GuildCatalogRepo } from '../store/guild-catalog';
import { openStore, type KV } from '../store/kv';
import { noSuchId } from '../query/suggest';
import { scopedId } from '../catalog/scope';
import type { CliContext } from './context';

export interface QueryOptions {
  topic: string[];
  feed: string[];
  since: string;
  until?: string;
  text?: string;
  limit: string;
  cursor?: string;
  /** Single items, as before stories: each item of a story on its own. */
  items?: boolean;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/** Whether the date part names a real day: Date.parse reads 2026-02-30 as 2 March. */
function realDay(text: string): boolean {
  const [, y, m, d] = ISO_DAY.exec(text) ?? [];
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return day.getUTCMonth() === Number(m) - 1 && day.getUTCDate() === Number(d);
}

/** `7d` (that long before `now`) or an ISO date/time (`2026-11-01`, `2026-11-01T12:00Z`). */
export function parseWhen(text: string, now: Date, flag: string): Date {
  const ms = parseDuration(text);
  const at =
    ms !== undefined
      ? now.getTime() - ms
      : ISO_DAY.test(text) && realDay(text)
        ? Date.parse(text)
        : NaN;
  // A duration past JavaScript's date range (100000000d) is as unreadable as a bad date.
  if (!Number.isFinite(at) || Number.isNaN(new Date(at).getTime()))
    throw new UserError(
      `${flag} expects a duration like 7d or a date like 2026-11-01, not "${text}"`,
    );
  return new Date(at);
}

/** `--limit` in decimal digits only: Number() would read 0x10 as 16 and 1e1 as 10. */
function parseLimit(text: string): number {
  if (!/^\d{1,3}$/.test(text.trim()))
    throw new UserError(`--limit expects a whole number from 1 to 50, not "${text}"`);
  return Number(text);
}

export function catalogLookups(catalog: Catalog): BriefingLookups {
  return {
    feedName: (id) => catalog.feeds.find((f) => f.id === id)?.name ?? id,
    topicName: (id) => catalog.topics.topics.find((t) => t.id === id)?.name ?? id,
  };
}

/**
 * With nothing found, an id that no catalogue knows (the config files' or any guild's) is most
 * likely a typo: say so rather than "0 of 0". Only then, because an archive may still hold the
 * items of a feed or topic that has since been removed, and those are found by their old id.
 */
async function refuseUnknownIds(
  q: { topics: string[]; feeds: string[] },
  catalog: Catalog,
  guilds: GuildCatalogRepo,
): Promise<void> {
  const globalTopics = catalog.topics.topics.map((t) => t.id);
  const topics = [...globalTopics];
  const feeds = catalog.feeds.map((f) => f.id);
  for (const g of await guilds.all()) {
    // A guild's feed matching a global topic records it under the guild's name (scope.ts).
    for (const id of [...g.topics.map((t) => t.id), ...globalTopics])
      topics.push(scopedId(g.guildId, id));
    for (const f of g.feeds) feeds.push(scopedId(g.guildId, f.id));
  }
  for (const id of q.topics)
    if (!topics.includes(id)) throw new UserError(noSuchId('topic', id, topics));
  for (const id of q.feeds)
    if (!feeds.includes(id)) throw new UserError(noSuchId('feed', id, feeds));
}

/** Runs `use` with the archive of STORE_URL, closing the store after. */
export async function withArchive<T>(
  ctx: CliContext,
  use: (archive: ArchiveRepo, kv: KV) => Promise<T>,
): Promise<T> {
  const kv = await openStore(ctx.env.STORE_URL, {
    prefix: ctx.env.STORE_PREFIX,
    timeoutMs: ctx.env.STORE_TIMEOUT_SECONDS * 1000,
  });
  try {
    return await use(createArchiveRepo(kv, { retentionMs: ctx.env.ARCHIVE_DAYS * 86_400_000 }), kv);
  } finally {
    await kv.close();
  }
}

/**
 * `briefing query`: archived stories newest first, each once with its sources (or, with `--items`,
 * single items), rendered like the briefings the bot posts (or one JSON object per story or
 * item); the count and the next page's cursor go to stderr.
 */
export async function query(ctx: CliContext, options: QueryOptions): Promise<number> {
  const now = new Date();
  const q = {
    topics: options.topic,
    feeds: options.feed,
    since: parseWhen(options.since, now, '--since'),
    ...(options.until !== undefined && { until: parseWhen(options.until, now, '--until') }),
    ...(options.text !== undefined && { text: options.text }),
    limit: parseLimit(options.limit),
    ...(options.cursor !== undefined && { cursor: options.cursor }),
  };
  const catalog = await loadCatalog(ctx.configDir);
  const lookups = catalogLookups(catalog);
  // The topics asked for, or every topic an item matched.
  const topicIds = q.topics.length > 0 ? q.topics : undefined;
  const page = await withArchive(ctx, async (archive, kv) => {
    const items = createQueryService(archive, { now: () => now });
    const found = options.items
      ? await items.query(q)
      : await createStoryQuery({
          query: items,
          archive,
          stories: createStoryIndex(kv, { retentionMs: archive.retentionMs }),
          now: () => now,
        }).query(q);
    if (found.total === 0) await refuseUnknownIds(q, catalog, createGuildCatalogRepo(kv));
    return found;
  });
  let shown: string;
  if ('stories' in page) {
    for (const hit of page.stories) {
      const story = listedStory(hit, topicIds, lookups);
      ctx.out(
        ctx.json
          ? `${renderStoryJson(story)}\n`
          : `${renderStoryBlock(story, { color: ctx.color })}\n\n`,
      );
    }
    shown = `${page.stories.length} ${page.stories.length === 1 ? 'story' : 'stories'} from`;
  } else {
    for (const archived of page.items) {
      const ids = topicIds ?? archived.matches.map((m) => m.topicId);
      const briefing = buildBriefing(archived, { topicIds: ids }, lookups);
      ctx.out(
        ctx.json
          ? `${renderConsoleJson(briefing)}\n`
          : `${renderConsoleBlock(briefing, { color: ctx.color })}\n\n`,
      );
    }
    shown = `${page.items.length} of`;
  }
  const next = page.nextCursor ? `; next page: --cursor ${page.nextCursor}` : '';
  const of = page.partial ? `at least ${page.total}` : `${page.total}`;
  const items = 'stories' in page ? ` item${page.total === 1 ? '' : 's'}` : '';
  const why = page.partial
    ? ' (a common phrase: only the newest items with its words were checked; narrow the dates for an exact count)'
    : '';
  process.stderr.write(`${shown} ${of}${items}${why}${next}\n`);
  return 0;
}
