/**
 * A seen set and feed state written by the version before December 2026's dedupe round (names
 * looked up through `getMany` one snapshot per key, titles fingerprinted with the names, the
 * feed's state read key by key): the code of now must recognise every name it wrote, so that no
 * item seen before an upgrade is posted after it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/domain/item';
import { createFeedStateRepo } from '../../../src/store/feed-state';
import { createSeenRepo } from '../../../src/store/seen';
import { renamedByTitle } from '../../../src/worker/rekey';
import { withStoreFixture } from '../../support/stores';

/**
 * Written through the seen set and feed state of 32990c6 at 2026-12-07T08:00Z (TTL 100 years):
 * feed-a marked items 1–10 — 1 and 5–10 with guid `guid-n` and link `https://news.example/n`, 2
 * with a link only, 3 with neither (storyKey `t:untitled dispatch 3`), 4 with a guid only
 * (storyKey `k:key-4`, a Russian title) — then item 1 again under the guid `guid-1-renamed`;
 * feed-b marked an item with the guid `guid-b1` (and the storyKey `l:news.example/1`). feed-a is primed and has the shared guid `same-guid`.
 */
const FIXTURE = join(import.meta.dirname, '../../fixtures/store/seen-before-2026-12.sqlite');

const at = '2026-12-07T08:00:00.000Z';
function item(n: number, over: Partial<Item> = {}): Item {
  return {
    key: `key-${n}`,
    storyKey: `l:news.example/${n}`,
    feedId: 'feed-a',
    guid: `guid-${n}`,
    link: `https://news.example/${n}`,
    title: `Title number ${n}`,
    description: '',
    text: '',
    categories: [],
    publishedAt: at,
    fetchedAt: at,
    ...over,
  };
}

const asWritten = (): Item[] => [
  item(1),
  item(2, { guid: undefined }),
  item(3, {
    guid: undefined,
    link: undefined,
    storyKey: 't:untitled dispatch 3',
    title: 'Untitled dispatch 3',
  }),
  item(4, { link: undefined, storyKey: 'k:key-4', title: 'Тбилиси: переговоры продолжаются' }),
  ...[5, 6, 7, 8, 9, 10].map((n) => item(n)),
];

describe('a seen set written before December 2026', () => {
  it('knows every name it recorded, renamed ones included, and only in its own feed', () =>
    withStoreFixture(FIXTURE, async (kv) => {
      const seen = createSeenRepo(kv, { ttlMs: 180 * 86_400_000, clock: () => new Date() });
      const known = await seen.classify('feed-a', [
        ...asWritten(),
        item(1, { guid: 'guid-1-renamed' }),
        // Known by its guid, under a new link: renamed, not new.
        item(5, { link: 'https://news.example/5-moved', storyKey: 'l:news.example/5-moved' }),
        item(11),
      ]);
      expect(known.fresh.map((i) => i.key)).toEqual(['key-11']);
      expect(known.renamed.map((i) => i.key)).toEqual(['key-5']);
      expect(known.seenBefore).toBe(true);
      expect((await seen.classify('feed-b', [item(5)])).fresh).toHaveLength(1);
      const b1 = item(20, { feedId: 'feed-b', guid: 'guid-b1', storyKey: 'l:news.example/b20' });
      expect((await seen.classify('feed-b', [b1])).fresh).toHaveLength(0);
    }));

  it('knows the titles it marked: the same items under new names read as a rename', () =>
    withStoreFixture(FIXTURE, async (kv) => {
      const seen = createSeenRepo(kv, { ttlMs: 180 * 86_400_000, clock: () => new Date() });
      const migrated = asWritten().map((i, n) =>
        item(n + 100, { title: i.title, storyKey: `l:www.news.example/${n}` }),
      );
      const { fresh, seenBefore } = await seen.classify('feed-a', migrated);
      expect(fresh).toHaveLength(migrated.length);
      expect(seenBefore).toBe(false);
      const titles = await seen.knownTitles('feed-a', fresh);
      expect(titles.size).toBe(migrated.length);
      expect(renamedByTitle(fresh, titles)).toHaveLength(migrated.length);
    }));

  it('keeps them known beside what is marked now', () =>
    withStoreFixture(FIXTURE, async (kv) => {
      const seen = createSeenRepo(kv, { ttlMs: 180 * 86_400_000, clock: () => new Date() });
      await seen.markSeen('feed-a', [item(11), item(2, { guid: 'guid-2-new' })]);
      const again = await seen.classify('feed-a', [...asWritten(), item(11), item(12)]);
      expect(again.fresh.map((i) => i.key)).toEqual(['key-12']);
      expect(again.renamed).toEqual([]);
    }));

  it("reads the feed's state as written: primed, with its shared guid", () =>
    withStoreFixture(FIXTURE, async (kv) => {
      const state = createFeedStateRepo(kv);
      expect(await state.ofFeed('feed-a')).toEqual({
        primed: true,
        sharedGuids: { guids: ['same-guid'], since: at },
      });
      expect(await state.ofFeed('feed-b')).toEqual({ primed: false, sharedGuids: undefined });
    }));
});
