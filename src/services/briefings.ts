import type { Briefing } from '../delivery/briefing';
import { buildBriefing } from '../delivery/build-briefing';
import { UserError } from '../errors';
import type { QueryService } from '../query/archive-query';
import type { Archived } from '../store/archive';
import type { SubscriptionsRepo } from '../store/subscriptions';
import type { LiveCatalog, TopicEntry } from '../catalog/live-catalog';
import { createPager } from './pager';
import { scopedId } from '../catalog/scope';
import { INPUT_LIMITS, sinceOption, textOption } from './validate';
import type { TopicService } from './topics';

export const DEFAULT_SINCE = '24h';
export const DEFAULT_LIMIT = 5;
/** Items on one page of /briefing: each is an embed, and a message holds at most 10. */
export const MAX_LIMIT = 10;
/** Topic ids one archive query accepts. */
const MAX_QUERY_TOPICS = 20;
const CATCH_UP_DAYS = 30;

export interface BriefingRequest {
  guildId: string;
  channelId: string;
  topic?: string;
  since?: string;
  text?: string;
  limit?: number;
}

export interface BriefingPage {
  briefings: Briefing[];
  total: number;
  /** 0-based page number. */
  page: number;
  /** Key of the paging state, for the buttons' custom ids. */
  pagerId: string;
  hasNext: boolean;
  topics: TopicEntry[];
  since: Date;
  text?: string;
}

interface PagingState {
  guildId: string;
  topics: TopicEntry[];
  queryTopics: string[];
  since: Date;
  until: Date;
  text?: string;
  limit: number;
  /** Cursor of each page seen so far; page 0 has none. */
  cursors: Array<string | undefined>;
}

export interface BriefingServiceDeps {
  query: QueryService;
  catalog: LiveCatalog;
  topics: TopicService;
  subscriptions: SubscriptionsRepo;
  clock: () => Date;
  archiveDays: number;
}

export type BriefingService = ReturnType<typeof createBriefingService>;

/** `/briefing` and the catch-up after `/subscribe`: the archive, as a guild may see it. */
export function createBriefingService(deps: BriefingServiceDeps) {
  const pager = createPager<PagingState>({ clock: deps.clock });

  /**
   * A global topic also names its matches among the guild's own feeds' items (scope.ts). The
   * archive query takes ids of at most 64 characters; a global id longer than 43 loses the
   * guild-feed half (the operator's ids are short in practice).
   */
  const queryIdsOf = (guildId: string, topics: TopicEntry[]) =>
    topics
      .flatMap((t) => (t.scope === 'global' ? [t.key, scopedId(guildId, t.key)] : [t.key]))
      .filter((id) => id.length <= 64);

  function toBriefings(items: Archived[], wanted: string[]): Briefing[] {
    const lookups = { feedName: deps.catalog.feedName, topicName: deps.catalog.topicName };
    return items.map((a) =>
      buildBriefing(
        a,
        { topicIds: a.matches.map((m) => m.topicId).filter((id) => wanted.includes(id)) },
        lookups,
      ),
    );
  }

  /** The topics of the channel, else every topic of the guild, as many as one query takes. */
  async function defaultTopics(guildId: string, channelId: string): Promise<TopicEntry[]> {
    const subs = (await deps.subscriptions.forGuild(guildId)).filter(
      (s) => s.channelId === channelId,
    );
    const followed = subs.flatMap((s) => deps.catalog.topicByKey(s.topicId) ?? []);
    const candidates = followed.length > 0 ? followed : deps.topics.list(guildId);
    if (candidates.length === 0)
      throw new UserError('There are no topics yet; an admin can add one with `/topic add`.');
    const fitting: TopicEntry[] = [];
    for (const t of candidates)
      if (queryIdsOf(guildId, [...fitting, t]).length <= MAX_QUERY_TOPICS) fitting.push(t);
    return fitting;
  }

  async function show(id: string, state: PagingState, page: number): Promise<BriefingPage> {
    const result = await deps.query.query({
      topics: state.queryTopics,
      since: state.since,
      until: state.until,
      text: state.text,
      limit: state.limit,
      cursor: state.cursors[page],
    });
    state.cursors[page + 1] = result.nextCursor;
    return {
      briefings: toBriefings(result.items, state.queryTopics),
      total: result.total,
      page,
      pagerId: id,
      hasNext: result.nextCursor !== undefined,
      topics: state.topics,
      since: state.since,
      text: state.text,
    };
  }

  return {
    async open(req: BriefingRequest): Promise<BriefingPage> {
      const topics =
        req.topic === undefined
          ? await defaultTopics(req.guildId, req.channelId)
          : [deps.topics.resolve(req.guildId, req.topic)];
      const limit = req.limit ?? DEFAULT_LIMIT;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
        throw new UserError(`\`limit\` is a whole number from 1 to ${MAX_LIMIT}.`);
      const until = deps.clock();
      const state: PagingState = {
        guildId: req.guildId,
        topics,
        queryTopics: queryIdsOf(req.guildId, topics),
        since: new Date(
          until.getTime() - sinceOption(req.since ?? DEFAULT_SINCE, deps.archiveDays),
        ),
        // A fixed end keeps pages stable while new items arrive.
        until,
        text: req.text === undefined ? undefined : textOption(req.text, 'text', INPUT_LIMITS.text),
        limit,
        cursors: [undefined],
      };
      return show(pager.save(state), state, 0);
    },

    /** Another page of an earlier /briefing, for its buttons. */
    async turn(guildId: string, pagerId: string, page: number): Promise<BriefingPage> {
      const state = pager.get(pagerId);
      if (
        !state ||
        state.guildId !== guildId ||
        !Number.isInteger(page) ||
        page < 0 ||
        (page > 0 && state.cursors[page] === undefined)
      ) {
        throw new UserError('These buttons have expired; run `/briefing` again.');
      }
      return show(pagerId, state, page);
    },

    /** The newest few items of a topic, for a channel that just subscribed to it. */
    async latest(guildId: string, topic: TopicEntry, count: number): Promise<Briefing[]> {
      const now = deps.clock();
      const ids = queryIdsOf(guildId, [topic]);
      const result = await deps.query.query({
        topics: ids,
        since: new Date(now.getTime() - CATCH_UP_DAYS * 86_400_000),
        until: now,
        limit: count,
      });
      return toBriefings(result.items, ids);
    },
  };
}
