import type { Logger } from '../log';
import type { GroupOutcome } from '../worker/poll-group';
import type { FetchGroup } from '../worker/schedule';

/** Totals of a poll round, for the one-line summaries people read. */
export interface RoundTotals {
  feeds: number;
  archived: number;
  delivered: number;
  failed: number;
  notModified: number;
}

export function emptyTotals(): RoundTotals {
  return { feeds: 0, archived: 0, delivered: 0, failed: 0, notModified: 0 };
}

/** `1 feed`, `3 feeds`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function inWords(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))}s`;
  if (minutes < 120) return `${minutes}m`;
  return `${Math.round(minutes / 60)}h`;
}

/** Logs one line per group outcome and adds it to the totals. */
export function reportOutcome(
  outcome: GroupOutcome,
  group: FetchGroup,
  logger: Logger,
  totals: RoundTotals,
  now = Date.now(),
): void {
  const ids = group.feeds.map((f) => f.id).join(',');
  totals.feeds += group.feeds.length;
  switch (outcome.kind) {
    case 'failed':
      totals.failed += group.feeds.length;
      logger.warn(
        `feed unreachable, next retry in ${inWords(Date.parse(outcome.nextFetchAt) - now)}`,
        {
          feed: ids,
          feedUrl: outcome.url,
          error: outcome.error.message,
          failures: outcome.failures,
          nextRetry: outcome.nextFetchAt,
        },
      );
      break;
    case 'not-modified':
      totals.notModified += group.feeds.length;
      logger.debug('feed not modified', { feed: ids });
      break;
    case 'ok':
      for (const f of outcome.feeds) {
        totals.archived += f.fresh;
        totals.delivered += f.delivered;
        if (f.priming) {
          logger.info(
            `first sight of feed: ${f.fresh} existing items archived, ${f.delivered} delivered (backfill)`,
            { feed: f.feedId },
          );
        } else {
          logger.debug('feed polled', {
            feed: f.feedId,
            items: f.items,
            new: f.fresh,
            delivered: f.delivered,
          });
        }
      }
      break;
  }
}
