import type { Briefing } from '../delivery/briefing';
import { buildBriefing } from '../delivery/build-briefing';
import { UserError } from '../errors';
import type { QueryService } from '../query/archive-query';
import type { StoryQuery } from '../query/story-query';
import type { Archived } from '../store/archive';
import type { SubscriptionsRepo } from '../store/subscriptions';
import type { LiveCatalog, TopicEntry } from '../catalog/live-catalog';
import { createPager } from './pager';
import { feedVisibleIn, scopedId } from '../catalog/scope';
import { type ListedStory, listedStory } from './story-listing';
import { INPUT_LIMITS, sinceOption, textOption } from './validate';
import type { TopicService } from './topics';

export const DEFAULT_SINCE = '24h';
export const DEFAULT_LIMIT = 5;
/** Stories or items on one page of /briefing: each is an embed, and a message holds at most 10. */
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
  /** Single items, each on its own, instead of stories. */
  items?: boolean;
}

export interface BriefingPage {
  /** The page's stories, newest first; absent when single items were asked for. */
  stories?: ListedStory[];
  /** The page's items (each story's headline, when listing stories). */
  briefings: Briefing[];
  /** Items matching in the whole range; a lower bound when `partial` (a common phrase). */
  total: number;
  partial?: boolean;
  /** Stories on this page and the pages before it, and one more if another was found. */
  storyCount?: { count: number; atLeast: boolean };
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
  items: boolean;
  /** Cursor of each page seen so far; page 0 has none. */
  cursors: Array<string | undefined>;
  /** Stories listed before each page seen so far (a page may end early: story-query.ts). */
  storiesBefore: number[];
}

export interface BriefingServiceDeps {
  query: QueryService;
  stories: StoryQuery;
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

  const lookups = { feedName: deps.catalog.feedName, topicName: deps.catalog.topicName };
  const visibleIn = (guildId: string) => (feedId: string) => feedVisibleIn(feedId, guildId);

  function toBriefings(items: Archived[], wanted: string[]): Briefing[] {
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
    const q = {
      topics: state.queryTopics,
      since: state.since,
      until: state.until,
      text: state.text,
      limit: state.limit,
      cursor: state.cursors[page],
    };
    const common = {
      page,
      pagerId: id,
      topics: state.topics,
      since: state.since,
      text: state.text,
    };
    if (state.items) {
      const result = await deps.query.query(q);
      state.cursors[page + 1] = result.nextCursor;
      return {
        ...common,
        briefings: toBriefings(result.items, state.queryTopics),
        total: result.total,
        partial: result.partial === true,
        hasNext: result.nextCursor !== undefined,
      };
    }
    const result = await deps.stories.query(q, { visible: visibleIn(state.guildId) });
    state.cursors[page + 1] = result.nextCursor;
    const before = state.storiesBefore[page] ?? 0;
    state.storiesBefore[page + 1] = before + result.stories.length;
    const stories = result.stories.map((hit) => listedStory(hit, state.queryTopics, lookups));
    return {
      ...common,
      stories,
      briefings: stories.map((s) => s.briefing),
      total: result.total,
      partial: result.partial === true,
      storyCount: {
        count: before + stories.length + (result.more ? 1 : 0),
        atLeast: result.nextCursor !== undefined,
      },
      hasNext: result.nextCursor !== undefined,
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
        items: req.items === true,
        cursors: [undefined],
        storiesBefore: [0],
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

    /** One story with the sources this guild may see, for the "sources" menu of a page. */
    async story(guildId: string, storyId: string): Promise<ListedStory> {
      const hit = await deps.stories.story(storyId, { visible: visibleIn(guildId) });
      if (!hit) throw new UserError('That story is no longer in the archive.');
      return listedStory(hit, undefined, lookups);
    },

    /** The newest few stories of a topic, for a channel that just subscribed to it. */
    async latest(guildId: string, topic: TopicEntry, count: number): Promise<Briefing[]> {
      const now = deps.clock();
      const ids = queryIdsOf(guildId, [topic]);
      const result = await deps.stories.query(
        {
          topics: ids,
          since: new Date(now.getTime() - CATCH_UP_DAYS * 86_400_000),
          until: now,
          limit: count,
        },
        { visible: visibleIn(guildId) },
      );
      return result.stories.map((hit) => listedStory(hit, ids, lookups).briefing);
    },
  };
}
