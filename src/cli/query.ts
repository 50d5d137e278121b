import { loadCatalog, type Catalog } from '../config/catalog';
import { parseDuration } from '../config/duration';
import { buildBriefing, type BriefingLookups } from '../delivery/build-briefing';
import { renderConsoleBlock, renderConsoleJson } from '../delivery/render-console';
import { UserError } from '../errors';
import { createQueryService } from '../query/archive-query';
import { createArchiveRepo, type ArchiveRepo } from '../store/archive';
import { openStore } from '../store/kv';
import type { CliContext } from './context';

export interface QueryOptions {
  topic: string[];
  feed: string[];
  since: string;
  until?: string;
  text?: string;
  limit: string;
  cursor?: string;
}

/** `7d` (that long before `now`) or an ISO date/time (`2026-11-01`, `2026-11-01T12:00Z`). */
export function parseWhen(text: string, now: Date, flag: string): Date {
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(now.getTime() - ms);
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(at))
    throw new UserError(
      `${flag} expects a duration like 7d or a date like 2026-11-01, not "${text}"`,
    );
  return new Date(at);
}

export function catalogLookups(catalog: Catalog): BriefingLookups {
  return {
    feedName: (id) => catalog.feeds.find((f) => f.id === id)?.name ?? id,
    topicName: (id) => catalog.topics.topics.find((t) => t.id === id)?.name ?? id,
  };
}

/** Runs `use` with the archive of STORE_URL, closing the store after. */
export async function withArchive<T>(
  ctx: CliContext,
  use: (archive: ArchiveRepo) => Promise<T>,
): Promise<T> {
  const kv = await openStore(ctx.env.STORE_URL, {
    timeoutMs: ctx.env.STORE_TIMEOUT_SECONDS * 1000,
  });
  try {
    return await use(createArchiveRepo(kv, { retentionMs: ctx.env.ARCHIVE_DAYS * 86_400_000 }));
  } finally {
    await kv.close();
  }
}

/**
 * `briefing query`: archived items newest first, rendered like the briefings the bot posts (or one
 * JSON object per item); the count and the next page's cursor go to stderr.
 */
export async function query(ctx: CliContext, options: QueryOptions): Promise<number> {
  const now = new Date();
  const q = {
    topics: options.topic,
    feeds: options.feed,
    since: parseWhen(options.since, now, '--since'),
    ...(options.until !== undefined && { until: parseWhen(options.until, now, '--until') }),
    ...(options.text !== undefined && { text: options.text }),
    limit: Number(options.limit),
    ...(options.cursor !== undefined && { cursor: options.cursor }),
  };
  const lookups = catalogLookups(await loadCatalog(ctx.configDir));
  const page = await withArchive(ctx, (archive) =>
    createQueryService(archive, { now: () => now }).query(q),
  );
  for (const archived of page.items) {
    // The topics asked for, or every topic the item matched.
    const topicIds = q.topics.length > 0 ? q.topics : archived.matches.map((m) => m.topicId);
    const briefing = buildBriefing(archived, { topicIds }, lookups);
    ctx.out(
      ctx.json
        ? `${renderConsoleJson(briefing)}\n`
        : `${renderConsoleBlock(briefing, { color: ctx.color })}\n\n`,
    );
  }
  const next = page.nextCursor ? `; next page: --cursor ${page.nextCursor}` : '';
  process.stderr.write(`${page.items.length} of ${page.total}${next}\n`);
  return 0;
}
