import { loadCatalog } from '../config/catalog';
import { parseDuration } from '../config/duration';
import { oneLine } from '../delivery/briefing';
import { UserError } from '../errors';
import { type BacktestHit, topicOrQuery } from '../query/backtest';
import { createBacktestService } from '../services/backtest';
import type { CliContext } from './context';
import { catalogLookups, parseWhen, withArchive } from './query';

export interface TopicTestOptions {
  since: string;
}

/**
 * `briefing topic test <topic id | query>`: what a topic (or a query not saved yet) would have
 * matched in the archive, with the best and the borderline items and why.
 */
export async function topicTest(
  ctx: CliContext,
  target: string,
  options: TopicTestOptions,
): Promise<number> {
  const now = new Date();
  const since = parseWhen(options.since, now, '--since');
  const catalog = await loadCatalog(ctx.configDir);
  // A saved topic's id, or a query; a mistyped id is refused with what was probably meant.
  const topic = topicOrQuery(target, catalog.topics.topics);
  const result = await withArchive(ctx, (archive) =>
    createBacktestService({
      archive,
      resolveTopic: (_guildId, ref) => {
        const found = catalog.topics.topics.find((t) => t.id === ref);
        if (!found) throw new UserError(`There is no topic \`${ref}\` in topics.yaml.`);
        return found;
      },
      groups: () => catalog.topics.groups,
      clock: () => now,
      archiveDays: ctx.env.ARCHIVE_DAYS,
    }).run(typeof topic === 'string' ? { query: topic, since } : { topic: topic.id, since }),
  );
  const { feedName } = catalogLookups(catalog);
  const row = (h: BacktestHit) => ({
    key: h.archived.item.key,
    title: h.archived.item.title,
    link: h.archived.item.link,
    feedId: h.archived.item.feedId,
    publishedAt: h.archived.item.publishedAt,
    score: h.score,
    why: h.why,
    missed: h.missed,
    ...(h.clauses ? { clauses: h.clauses } : {}),
  });

  if (ctx.json) {
    const { id, name, query, minScore } = result.topic;
    const record = {
      topic: { id, name, query, minScore },
      since: since.toISOString(),
      scanned: result.scanned,
      matched: result.matched,
      best: result.best.map(row),
      borderline: result.borderline.map(row),
    };
    ctx.out(`${JSON.stringify(record)}\n`);
    return 0;
  }
  const period =
    parseDuration(options.since) !== undefined
      ? `in the last ${options.since}`
      : `since ${since.toISOString()}`;
  const note = (h: BacktestHit) =>
    h.clauses ? ' · not matched' : h.missed ? ` · below minScore ${result.topic.minScore}` : '';
  // A near miss shows every clause of the query, so the one to fix is in view (indent kept).
  const clause = (c: string) => `          ${/^ */.exec(c)?.[0] ?? ''}${oneLine(c)}`;
  const why = (h: BacktestHit) =>
    h.clauses ? h.clauses.map(clause).join('\n') : `          ${oneLine(h.why)}`;
  const line = (h: BacktestHit) =>
    `  ${h.score.toFixed(2).padStart(6)}  ${oneLine(h.archived.item.title) || '(untitled)'}\n` +
    `          ${oneLine(feedName(h.archived.item.feedId))} · ${h.archived.item.publishedAt.slice(0, 16).replace('T', ' ')}` +
    `${note(h)}\n${why(h)}`;
  // With few matches the weakest are also the best: each item is shown once.
  const shown = new Set(result.best.map((h) => h.archived.item.key));
  const borderline = result.borderline.filter((h) => !shown.has(h.archived.item.key));
  const sections = [
    `${oneLine(result.topic.name)}: would have matched ${result.matched} of ${result.scanned} items ${period}`,
    ...(result.best.length > 0 ? ['', 'Best:', ...result.best.map(line)] : []),
    ...(borderline.length > 0
      ? [
          '',
          'Borderline (lowest scores that match, then near misses, then items the query did not match, clause by clause):',
          ...borderline.map(line),
        ]
      : []),
  ];
  ctx.out(`${sections.join('\n')}\n`);
  return 0;
}
