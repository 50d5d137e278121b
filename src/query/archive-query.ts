/**
 * The query service behind `briefing query` and `/briefing`: items of a time range, optionally
 * of some topics, some feeds and containing some words, newest first, a page at a time, with the
 * number of all that match. Cost follows the result: it reads only the lists of the days in
 * range (per topic, feed or word), counts whole days from list heads, and loads only the items
 * it shows (select-days.ts, collect-page.ts).
 */
import { z } from 'zod';
import { UserError } from '../errors';
import type { Archived, ArchiveRepo, IndexRef } from '../store/archive';
import { dayOf, LAST_MS } from '../store/archive-slot';
import { collectPage } from './collect-page';
import { type Cursor, decodeCursor, encodeCursor, filterFingerprint } from './cursor';
import { type Range, selectDays } from './select-days';
import { parseTextQuery, type TextQuery } from './text-query';

export interface ArchiveQuery {
  /** Topic ids: items that matched any of them. */
  topics?: string[];
  /** Feed ids: items from any of them. */
  feeds?: string[];
  /** Published at or after. */
  since: Date;
  /** Published before. @default now */
  until?: Date;
  /** Words and "quoted phrases", all required, in titles and descriptions (text-query.ts). */
  text?: string;
  /** 1..50 */
  limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface QueryPage {
  /** Newest first: published time descending, then item key. */
  items: Archived[];
  nextCursor?: string;
  /** How many items match in the whole range. */
  total: number;
  /**
   * A phrase too common to check in full: `total` counts the newest matches only (a lower
   * bound), and `nextCursor` continues past them.
   */
  partial?: true;
}

export interface QueryService {
  query(q: ArchiveQuery): Promise<QueryPage>;
}

export const MAX_LIMIT = 50;

const ids = (what: string) =>
  z
    .array(z.string().regex(/^[\w-]{1,64}$/, `${what} ids are letters, digits, - and _`))
    .max(20, `at most 20 ${what}s at once`)
    .optional();

const QuerySchema = z.object({
  topics: ids('topic'),
  feeds: ids('feed'),
  since: z.date({ error: 'since must be a valid date' }),
  until: z.date({ error: 'until must be a valid date' }).optional(),
  text: z.string().optional(),
  limit: z
    .number({ error: `limit must be a number from 1 to ${MAX_LIMIT}` })
    .int(`limit must be a whole number`)
    .min(1, `limit must be from 1 to ${MAX_LIMIT}`)
    .max(MAX_LIMIT, `limit must be from 1 to ${MAX_LIMIT}`),
  cursor: z.string().max(400, 'That cursor is not one this bot gave out.').optional(),
});

function validate(q: ArchiveQuery) {
  const parsed = QuerySchema.safeParse(q);
  if (!parsed.success)
    throw new UserError(`${parsed.error.issues[0]?.message ?? 'Invalid query'}.`);
  return parsed.data;
}

/** Topics united, feeds united, each search word required; no filter at all reads the day lists. */
function groupsOf(topics: string[], feeds: string[], words: string[]): IndexRef[][] {
  const groups: IndexRef[][] = [];
  if (topics.length > 0) groups.push(topics.map((id) => ({ kind: 'topic', id })));
  if (feeds.length > 0) groups.push(feeds.map((id) => ({ kind: 'feed', id })));
  for (const name of words) groups.push([{ kind: 'word', name }]);
  return groups.length > 0 ? groups : [[{ kind: 'all' }]];
}

/** A query checked and read: what the archive's lists are asked, and what cursors are tied to. */
export interface PreparedQuery {
  topics: string[];
  feeds: string[];
  text?: TextQuery;
  range: Range;
  fingerprint: string;
  cursor?: Cursor;
  limit: number;
}

export function prepareQuery(input: ArchiveQuery, now: number, retentionMs: number): PreparedQuery {
  const q = validate(input);
  const until = q.until?.getTime() ?? now;
  if (q.since.getTime() >= until)
    throw new UserError('The start of the range must be before its end.');
  const text = q.text?.trim() ? parseTextQuery(q.text.trim()) : undefined;
  const fingerprint = filterFingerprint({ topics: q.topics, feeds: q.feeds, text: q.text });
  return {
    topics: [...new Set(q.topics)],
    feeds: [...new Set(q.feeds)],
    ...(text && { text }),
    // Nothing older than the retention window is kept, even if prune has not run yet.
    range: {
      from: Math.max(q.since.getTime(), now - retentionMs),
      to: Math.min(until, LAST_MS + 1),
    },
    fingerprint,
    ...(q.cursor && { cursor: decodeCursor(q.cursor, fingerprint) }),
    limit: q.limit,
  };
}

export function createQueryService(
  archive: ArchiveRepo,
  options: { now: () => Date },
): QueryService {
  return {
    async query(input) {
      const { range, text, cursor, fingerprint, ...q } = prepareQuery(
        input,
        options.now().getTime(),
        archive.retentionMs,
      );
      if (range.from >= range.to) return { items: [], total: 0 };
      const days = (await archive.days(dayOf(range.from), dayOf(range.to - 1))).reverse();
      const groups = groupsOf(q.topics, q.feeds, text?.words ?? []);
      const selection = await selectDays(archive, days, groups, range, text?.verify, cursor?.ms);
      const total = selection.days.reduce((n, d) => n + d.count, 0);

      const { rows, more } = await collectPage(selection, cursor, q.limit, (slots) =>
        archive.load(slots),
      );
      const last = rows.at(-1);
      // A partial check may have left matches older than its last row unchecked.
      const nextCursor =
        (more || selection.partial?.unchecked) && last
          ? encodeCursor({ ms: last.ms, key: last.archived.item.key }, fingerprint)
          : undefined;
      return {
        items: rows.map((r) => r.archived),
        total,
        ...(nextCursor ? { nextCursor } : {}),
        ...(selection.partial && { partial: true as const }),
      };
    },
  };
}
