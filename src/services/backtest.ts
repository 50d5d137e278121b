import { UserError } from '../errors';
import {
  adHocTopic,
  backtestTopic,
  type BacktestHit,
  type BacktestResult,
} from '../query/backtest';
import type { ArchiveRepo } from '../store/archive';
import type { LiveCatalog } from '../catalog/live-catalog';
import { feedVisibleIn } from '../catalog/scope';
import { checkTopicQuery, INPUT_LIMITS, sinceOption, textOption } from './validate';
import type { TopicService } from './topics';

export const DEFAULT_TEST_SINCE = '7d';
/** An answer within a minute or so even on a busy archive: the newest items are the telling ones. */
const SAMPLE = 5000;

export interface BacktestRequest {
  guildId: string;
  topic?: string;
  query?: string;
  since?: string;
}

export interface BacktestServiceDeps {
  archive: ArchiveRepo;
  catalog: LiveCatalog;
  topics: TopicService;
  clock: () => Date;
  archiveDays: number;
}

export type BacktestService = ReturnType<typeof createBacktestService>;

/** /topic test: a topic, or a query not saved yet, run over the archive's recent items. */
export function createBacktestService(deps: BacktestServiceDeps) {
  return {
    async run(req: BacktestRequest): Promise<BacktestResult> {
      if ((req.topic === undefined) === (req.query === undefined))
        throw new UserError('Give either a `topic` or a `query` to test.');
      const topic =
        req.topic !== undefined
          ? { ...deps.topics.resolve(req.guildId, req.topic).def }
          : adHocTopic(textOption(req.query!, 'The query', INPUT_LIMITS.query));
      checkTopicQuery(topic, deps.catalog.groups());
      const now = deps.clock();
      const since = new Date(
        now.getTime() - sinceOption(req.since ?? DEFAULT_TEST_SINCE, deps.archiveDays),
      );
      const result = await backtestTopic({
        archive: deps.archive,
        topic,
        groups: deps.catalog.groups(),
        since,
        now,
        sample: SAMPLE,
      });
      // Items of other guilds' feeds are counted, never shown.
      const visible = (hits: BacktestHit[]) =>
        hits.filter((h) => feedVisibleIn(h.archived.item.feedId, req.guildId));
      return { ...result, best: visible(result.best), borderline: visible(result.borderline) };
    },
  };
}
