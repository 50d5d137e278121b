/**
 * Paging through random archives by story gives exactly what grouping a plain filter-and-sort of
 * the same items gives: each story once, where its newest matching item stands, none split across
 * pages, with its sources counted. The archive is real (SQLite); which item belongs to which story
 * is drawn at random and served by a small in-memory stand-in for the story index, since what is
 * tested here is the listing, not how stories are decided (tests/integration/stories/).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryService } from '../../../src/query/archive-query';
import { createStoryQuery } from '../../../src/query/story-query';
import { createArchiveRepo } from '../../../src/store/archive';
import type { Story } from '../../../src/store/story-index';
import { backends, prefixed, type TestStore } from '../../support/stores';
import { DAY } from '../store/archive-items';
import { expectedItems as expectedItemsOf, rangeQuery, specEntries } from './paging-oracle';

const START = Date.parse('2026-11-10T00:00:00.000Z');
const NOW = new Date(START + 6 * DAY);
const WORDS = ['water', 'talks', 'gas', 'border'];
const TOPICS = ['t1', 't2'];
const FEEDS = ['fa', 'fb', '300000000000000001_own'];

const itemArb = fc.record({
  slot: fc.integer({ min: 0, max: 5 * 8 }), // three-hour steps over five days: many ties
  feed: fc.constantFrom(...FEEDS),
  topics: fc.subarray(TOPICS),
  words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
  // A few stories, so most have several items; -1: the item's story was never decided.
  story: fc.integer({ min: -1, max: 6 }),
});

const queryArb = fc.record({
  topics: fc.option(fc.subarray(TOPICS, { minLength: 1 }), { nil: undefined, freq: 1 }),
  text: fc.option(fc.constantFrom('water', '"water talks"'), { nil: undefined, freq: 2 }),
  from: fc.integer({ min: 0, max: 16 }),
  span: fc.integer({ min: 1, max: 24 }),
  limit: fc.integer({ min: 1, max: 4 }),
  batch: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), // undefined: doubling from limit + 1
  maxRead: fc.integer({ min: 1, max: 12 }),
  guildOnly: fc.boolean(),
});

describe('paging through the archive by story', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backends[0]!.open();
  });
  afterAll(async () => {
    await store.dispose();
  });

  it('lists every story of the result exactly once, in order, with its sources counted', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(itemArb, { maxLength: 30, size: 'max' }),
        queryArb,
        async (specs, q) => {
          const kv = prefixed(store.kv, `story-run${run++}:`);
          const archive = createArchiveRepo(kv, { retentionMs: 180 * DAY });
          const entries = specEntries(specs, START);
          await archive.put(entries);

          // Stories in arrival order of their items, as the story index records them.
          const storyOf = new Map<string, string>();
          const stories = new Map<string, Story>();
          entries.forEach(({ item }, n) => {
            const id = specs[n]!.story;
            if (id < 0) return;
            const storyId = `story-${id}`;
            storyOf.set(item.key, storyId);
            const story = stories.get(storyId) ?? {
              id: storyId,
              firstSeen: item.publishedAt,
              sources: [],
              sourceCount: 0,
            };
            story.sources.push({
              feedId: item.feedId,
              itemKey: item.key,
              title: item.title,
              publishedAt: item.publishedAt,
            });
            story.sourceCount++;
            stories.set(storyId, story);
          });

          const query = rangeQuery(q, START);
          const expectedItems = expectedItemsOf(entries, query);
          const idOf = (key: string) => storyOf.get(key) ?? `single:${key}`;
          const expectedStories = [...new Set(expectedItems.map((i) => idOf(i.key)))];

          const visible = q.guildOnly ? (feedId: string) => !feedId.includes('_') : undefined;
          const service = createStoryQuery({
            query: createQueryService(archive, { now: () => NOW }),
            archive,
            stories: {
              storiesOf: async (keys) => keys.map((k) => storyOf.get(k)),
              stories: async (ids) => ids.map((id) => stories.get(id)),
            },
            now: () => NOW,
            ...(q.batch !== undefined && { batch: q.batch }),
            maxRead: q.maxRead,
          });
          const listed: string[] = [];
          let cursor: string | undefined;
          for (let page = 0; page <= entries.length; page++) {
            const result = await service.query(
              { ...query, ...(cursor && { cursor }) },
              visible && { visible },
            );
            if (page === 0) expect(result.total).toBe(expectedItems.length);
            expect(result.stories.length).toBeLessThanOrEqual(q.limit);
            for (const s of result.stories) {
              const id = s.id.startsWith('story-') ? s.id : `single:${s.newest.item.key}`;
              listed.push(id);
              const sources = (
                stories.get(s.id)?.sources ?? [
                  { feedId: s.newest.item.feedId, itemKey: s.newest.item.key },
                ]
              ).filter((x) => !visible || visible(x.feedId));
              expect(s.sourceCount).toBe(sources.length);
              expect(s.headline.item.key).toBe(sources[0]?.itemKey ?? s.newest.item.key);
            }
            // "More" is said only when another story was really found.
            if (result.more) expect(expectedStories.length).toBeGreaterThan(listed.length);
            cursor = result.nextCursor;
            if (!cursor) break;
          }
          expect(listed).toEqual(expectedStories);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});
