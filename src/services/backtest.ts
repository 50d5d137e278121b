import { UserError } from '../errors';
import {
  adHocTopic,
  backtestTopic,
  type BacktestHit,
  type BacktestResult,
} from '../query/backtest';
import type { ArchiveRepo } from '../store/archive';
import { feedVisibleIn } from '../catalog/scope';
import type { Groups, TopicDef } from '../topics/schema';
import { checkTopicQuery, sinceOption, textOption } from './validate';

export const DEFAULT_TEST_SINCE = '7d';

export interface BacktestRequest {
  /** The server asking; undefined for the operator (the CLI), who sees every item. */
  guildId?: string;
  topic?: string;
  query?: string;
  /** A duration back from now as typed (`7d`), or a time the caller already read. */
  since?: string | Date;
}

export interface BacktestServiceDeps {
  archive: ArchiveRepo;
  /** A saved topic by the id people type, as `guildId` sees them; a UserError when there is none. */
  resolveTopic(guildId: string | undefined, ref: string): TopicDef;
  groups(): Groups;
  clock: () => Date;
  archiveDays: number;
  /**
   * Read at most this many items, newest first: a slash command must answer within a minute or
   * so even on a busy archive. @default every item in range
   */
  sample?: number;
  /**
   * The surface's own cap on a typed query (Discord's option length, checked again because options
   * can be forged). The query parser's limits apply whatever it is. @default no cap of its own
   */
  queryLimit?: number;
}

export type BacktestService = ReturnType<typeof createBacktestService>;

/** `/topic test` and `briefing topic test`: a topic, or a query not saved yet, run over the archive. */
export function createBacktestService(deps: BacktestServiceDeps) {
  return {
    async run(req: BacktestRequest): Promise<BacktestResult> {
      if ((req.topic === undefined) === (req.query === undefined))
        throw new UserError('Give either a `topic` or a `query` to test.');
      const topic =
        req.topic !== undefined
          ? { ...deps.resolveTopic(req.guildId, req.topic) }
          : adHocTopic(
              textOption(req.query!, 'The query', deps.queryLimit ?? Number.POSITIVE_INFINITY),
            );
      checkTopicQuery(topic, deps.groups());
      const now = deps.clock();
      const since =
        req.since instanceof Date
          ? req.since
          : new Date(
              now.getTime() - sinceOption(req.since ?? DEFAULT_TEST_SINCE, deps.archiveDays),
            );
      const result = await backtestTopic({
        archive: deps.archive,
        topic,
        groups: deps.groups(),
        since,
        now,
        sample: deps.sample,
      });
      const { guildId } = req;
      if (guildId === undefined) return result;
      // Items of other guilds' feeds are counted, never shown.
      const visible = (hits: BacktestHit[]) =>
        hits.filter((h) => feedVisibleIn(h.archived.item.feedId, guildId));
      return { ...result, best: visible(result.best), borderline: visible(result.borderline) };
    },
  };
}
