/**
 * The archive query with results grouped by story: each story once, listed where its newest
 * item in the result stands (so the order is still newest first), a page of `limit` stories at a
 * time.
 *
 * Paging needs no memory of earlier pages. An item is where its story is listed exactly when no
 * other source of the story, newer than it, is in the result (in-result.ts decides that from the
 * source itself). So a page skips an item whose story was listed on an earlier page, the next
 * page starts after the last item this one read, and a story is never listed twice or split.
 * The one gap: a story keeps its first 50 sources by name (store/story-index.ts); an item past
 * those is listed only when none of the named ones is in the result, and two such items on two
 * pages would list their story twice.
 *
 * Cost follows the page: the items read (the archive query's pages, at most MAX_READ once the
 * page has a story), and per page of those, one read of their stories and one of the other
 * sources the stories name.
 */
import { newStoryId, type Story, type StoryIndex, type StorySource } from '../store/story-index';
import type { Archived, ArchiveRepo } from '../store/archive';
import { type ArchiveQuery, MAX_LIMIT, prepareQuery, type QueryService } from './archive-query';
import { type Cursor, encodeCursor } from './cursor';
import { comesBefore, positionOf, resultFilter } from './in-result';

/**
 * Items read for one page at most, once it has a story: a page whose stories have many items
 * each ends early rather than read on, and says where the next page continues. A page with no
 * story yet reads on, so no page is empty while stories remain.
 */
export const MAX_READ = 1_000;

export interface StoryHit {
  id: string;
  /** When the story's first source the reader may see was published. */
  firstSeen: string;
  /** What heads the listing: the story's first source the reader may see, else `newest`. */
  headline: Archived;
  /** The story's newest item in the result: its place in the order, and the topics it matched. */
  newest: Archived;
  /** The sources the reader may see, in arrival order (at most the 50 the story names). */
  sources: StorySource[];
  /** How many sources the story has (for this reader); a lower bound when `atLeast`. */
  sourceCount: number;
  atLeast: boolean;
}

export interface StoryPage {
  /** Newest first, by each story's newest item in the result. */
  stories: StoryHit[];
  /** Where the next page starts; absent on the last page. */
  nextCursor?: string;
  /** How many items (not stories) match in the whole range, as the archive query counts them. */
  total: number;
  /** `total` is a lower bound (a common phrase: see QueryPage). */
  partial?: true;
  /** Another story after this page's was found: the number of stories is at least one more. */
  more: boolean;
}

export interface StoryQueryOptions {
  /** Which feeds' items the reader may see (a guild sees the operator's feeds and its own). @default all */
  visible?: (feedId: string) => boolean;
}

export interface StoryQuery {
  query(q: ArchiveQuery, options?: StoryQueryOptions): Promise<StoryPage>;
  /** One story, as `query` lists it; undefined when it is unknown, expired or none of it is visible. */
  story(id: string, options?: StoryQueryOptions): Promise<StoryHit | undefined>;
}

export interface StoryQueryDeps {
  query: QueryService;
  archive: Pick<ArchiveRepo, 'get' | 'retentionMs'>;
  stories: Pick<StoryIndex, 'storiesOf' | 'stories'>;
  now: () => Date;
  /**
   * Items asked of the archive query at once (tests make it small). @default limit + 1 at first,
   * doubling up to MAX_LIMIT: a page of stories with one item each reads no more than it shows
   */
  batch?: number;
  /** @default MAX_READ */
  maxRead?: number;
}

/** What a listing says of a story's sources, for a reader who sees only some feeds. */
function sourcesFor(
  story: Story,
  visible: ((feedId: string) => boolean) | undefined,
): Pick<StoryHit, 'sources' | 'sourceCount' | 'atLeast'> {
  const sources = visible ? story.sources.filter((s) => visible(s.feedId)) : story.sources;
  const unnamed = Math.max(0, story.sourceCount - story.sources.length);
  // Sources past the named ones are only counted: whose they are is unknown, so a reader who
  // sees only some feeds is told "at least".
  return visible
    ? { sources, sourceCount: sources.length, atLeast: unnamed > 0 }
    : { sources, sourceCount: sources.length + unnamed, atLeast: false };
}

/** Whether a source was published before `ms` (so it cannot be in a result starting there). */
function publishedBefore(source: StorySource, ms: number): boolean {
  const at = Date.parse(source.publishedAt);
  return Number.isFinite(at) && at >= 0 && at < ms;
}

/**
 * Where a story is listed, for one of its items at `at`: at a newer source in the result (so on
 * an earlier page, since this page would have met it first), at one of its named sources (an item
 * past the named ones gives way to them), or here.
 */
export function listedAt(
  at: Cursor,
  others: Cursor[],
  named: boolean,
): 'earlier' | 'elsewhere' | 'here' {
  if (others.some((o) => comesBefore(o, at))) return 'earlier';
  return !named && others.length > 0 ? 'elsewhere' : 'here';
}

/**
 * A story of one item: one whose story was never decided (archived before stories were), or
 * whose record expired before the item.
 */
function storyOf(a: Archived, id = newStoryId(a.item)): Story {
  const { feedId, key: itemKey, title, link, publishedAt } = a.item;
  return {
    id,
    firstSeen: publishedAt,
    sources: [{ feedId, itemKey, title, publishedAt, ...(link !== undefined && { link }) }],
    sourceCount: 1,
  };
}

export function createStoryQuery(deps: StoryQueryDeps): StoryQuery {
  /** The archived items of these keys, by key (those the archive still holds). */
  async function load(keys: Iterable<string>): Promise<Map<string, Archived>> {
    const wanted = [...new Set(keys)];
    const found = wanted.length > 0 ? await deps.archive.get(wanted) : [];
    return new Map(found.flatMap((a) => (a ? [[a.item.key, a] as const] : [])));
  }

  const headlineKey = (story: Story, visible: StoryQueryOptions['visible']) =>
    story.sources.find((s) => !visible || visible(s.feedId))?.itemKey;

  const hit = (
    story: Story,
    newest: Archived,
    loaded: Map<string, Archived>,
    visible: StoryQueryOptions['visible'],
  ): StoryHit => {
    const seen = sourcesFor(story, visible);
    const key = seen.sources[0]?.itemKey;
    return {
      id: story.id,
      // Not another server's source's time: what the reader may see of a story is theirs alone.
      firstSeen: visible
        ? (seen.sources[0]?.publishedAt ?? newest.item.publishedAt)
        : story.firstSeen,
      headline: (key !== undefined && loaded.get(key)) || newest,
      newest,
      ...seen,
    };
  };

  return {
    async query(input, options = {}) {
      const prepared = prepareQuery(input, deps.now().getTime(), deps.archive.retentionMs);
      const inResult = resultFilter(prepared);
      const { limit, fingerprint } = prepared;
      const stories: StoryHit[] = [];
      const listed = new Set<string>();
      /** Stories listed on an earlier page: the rest of their items are passed over. */
      const earlier = new Set<string>();
      let cursor = input.cursor;
      let last: Cursor | undefined;
      let read = 0;
      let total = 0;
      let partial = false;
      let more = false;
      let end = false;
      let size = deps.batch ?? Math.min(MAX_LIMIT, limit + 1);

      pages: for (let first = true; ; first = false) {
        const page = await deps.query.query({ ...input, limit: size, cursor });
        if (first) total = page.total;
        partial ||= page.partial === true;
        const ids = (await deps.stories.storiesOf(page.items.map((a) => a.item.key))).map(
          (id, i) => id ?? newStoryId(page.items[i]!.item),
        );
        const fresh = [...new Set(ids)].filter((id) => !listed.has(id) && !earlier.has(id));
        const records = new Map(
          (await deps.stories.stories(fresh)).flatMap((s, i) => (s ? [[fresh[i]!, s]] : [])),
        );
        // The sources that may be in the result (not published before the range), and headlines.
        const sources = [...records.values()].flatMap((s) => s.sources);
        const loaded = await load([
          ...sources.filter((s) => !publishedBefore(s, prepared.range.from)).map((s) => s.itemKey),
          ...[...records.values()].flatMap((s) => headlineKey(s, options.visible) ?? []),
        ]);

        for (const [i, item] of page.items.entries()) {
          const id = ids[i]!;
          const at = positionOf(item);
          if (!listed.has(id) && !earlier.has(id)) {
            const story = records.get(id) ?? storyOf(item, id);
            const others = story.sources.flatMap((s) => {
              const other = s.itemKey !== item.item.key && loaded.get(s.itemKey);
              return other && inResult(other) ? [positionOf(other)] : [];
            });
            const named = story.sources.some((s) => s.itemKey === item.item.key);
            const place = listedAt(at, others, named);
            if (place === 'earlier') earlier.add(id);
            else if (place === 'elsewhere') {
              // Listed when the scan meets its named source.
            } else if (stories.length === limit) {
              more = true;
              break pages;
            } else {
              stories.push(hit(story, item, loaded, options.visible));
              listed.add(id);
            }
          }
          last = at;
        }
        read += page.items.length;
        if (!page.nextCursor) {
          end = true;
          break;
        }
        if (read >= (deps.maxRead ?? MAX_READ) && stories.length > 0) break;
        cursor = page.nextCursor;
        if (deps.batch === undefined) size = Math.min(MAX_LIMIT, size * 2);
      }

      const nextCursor = !end && last ? encodeCursor(last, fingerprint) : undefined;
      return {
        stories,
        total,
        more,
        ...(nextCursor && { nextCursor }),
        ...(partial && { partial: true as const }),
      };
    },

    async story(id, options = {}) {
      const [story] = await deps.stories.stories([id]);
      if (!story) return undefined;
      const key = headlineKey(story, options.visible);
      if (key === undefined) return undefined;
      const loaded = await load([key]);
      const headline = loaded.get(key);
      return headline ? hit(story, headline, loaded, options.visible) : undefined;
    },
  };
}
