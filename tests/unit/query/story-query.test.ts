/**
 * What a story listing shows of a story, with the archive query and the story index stood in for
 * by small in-memory versions (the paging itself is tested over a real archive in
 * tests/integration/query/story-paging.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/domain/item';
import type { QueryService } from '../../../src/query/archive-query';
import { createStoryQuery, listedAt } from '../../../src/query/story-query';
import type { Archived } from '../../../src/store/archive';
import type { Story } from '../../../src/store/story-index';

const NOW = new Date('2026-11-22T00:00:00Z');
const SINCE = new Date('2026-11-21T00:00:00Z');
const OTHER_GUILD_FEED = '300000000000000002_own';

function archived(key: string, feedId: string, hour: number): Archived {
  const item: Item = {
    key,
    storyKey: key,
    feedId,
    title: `Headline of ${key}`,
    description: '',
    text: '',
    categories: [],
    publishedAt: `2026-11-21T${String(hour).padStart(2, '0')}:00:00.000Z`,
    fetchedAt: NOW.toISOString(),
  };
  return { item, matches: [{ topicId: 'energy', score: 3, hits: [] }] };
}

const source = (a: Archived) => ({
  feedId: a.item.feedId,
  itemKey: a.item.key,
  title: a.item.title,
  publishedAt: a.item.publishedAt,
});

/** A listing over `result` (newest first), with `story` as the one story of every item in it. */
function listing(result: Archived[], story: Story, archive: Archived[]) {
  const query: QueryService = {
    query: async () => ({ items: result, total: result.length }),
  };
  return createStoryQuery({
    query,
    archive: {
      retentionMs: 30 * 86_400_000,
      get: async (keys) => keys.map((k) => archive.find((a) => a.item.key === k.toString())),
    },
    stories: {
      storiesOf: async (keys) => keys.map(() => story.id),
      stories: async (ids) => ids.map((id) => (id === story.id ? story : undefined)),
    },
    now: () => NOW,
  });
}

describe('a story as a listing shows it', () => {
  const mine = archived('mine', 'gov', 10);
  const theirs = archived('theirs', OTHER_GUILD_FEED, 8);
  const story: Story = {
    id: 'story-1',
    firstSeen: theirs.item.publishedAt,
    sources: [source(theirs), source(mine)],
    sourceCount: 2,
  };

  it("never shows another server's feed: its item neither heads the story nor counts as a source", async () => {
    const visible = (feedId: string) => feedId !== OTHER_GUILD_FEED;
    const page = await listing([mine], story, [mine, theirs]).query(
      { since: SINCE, limit: 5, topics: ['energy'] },
      { visible },
    );
    expect(page.stories).toHaveLength(1);
    const [hit] = page.stories;
    expect(hit!.headline.item.key).toBe('mine');
    expect(hit!.sources.map((s) => s.itemKey)).toEqual(['mine']);
    expect(hit!).toMatchObject({ sourceCount: 1, atLeast: false });
    expect(hit!.firstSeen).toBe(mine.item.publishedAt);

    const whole = await listing([mine], story, [mine, theirs]).query({ since: SINCE, limit: 5 });
    expect(whole.stories[0]!.headline.item.key).toBe('theirs');
    expect(whole.stories[0]!.sourceCount).toBe(2);
  });

  it('counts sources past the fifty a story names, and says "at least" when whose they are is unknown', async () => {
    const many: Story = { ...story, sourceCount: 60 };
    const all = await listing([mine], many, [mine, theirs]).query({ since: SINCE, limit: 5 });
    expect(all.stories[0]).toMatchObject({ sourceCount: 60, atLeast: false });
    const guild = await listing([mine], many, [mine, theirs]).query(
      { since: SINCE, limit: 5 },
      { visible: (f) => f !== OTHER_GUILD_FEED },
    );
    expect(guild.stories[0]).toMatchObject({ sourceCount: 1, atLeast: true });
  });

  it('is headed by the item that put it in the result when its first source is no longer archived', async () => {
    const page = await listing([mine], story, [mine]).query({ since: SINCE, limit: 5 });
    expect(page.stories[0]!.headline.item.key).toBe('mine');
    expect(page.stories[0]!.firstSeen).toBe(theirs.item.publishedAt);
  });
});

describe('where a story is listed, for one of its items', () => {
  const at = { ms: 1000, key: 'b' };
  it.each([
    ['a newer source in the result: on an earlier page', [{ ms: 2000, key: 'z' }], true, 'earlier'],
    ['a source as new with a smaller key: earlier too', [{ ms: 1000, key: 'a' }], true, 'earlier'],
    ['only older sources: here', [{ ms: 500, key: 'a' }], true, 'here'],
    ['no other source in the result: here', [], true, 'here'],
    [
      'an item past the named ones gives way to an older named source',
      [{ ms: 500, key: 'a' }],
      false,
      'elsewhere',
    ],
    ['an item past the named ones, none of them in the result: here', [], false, 'here'],
  ] as const)('%s', (_, others, named, expected) => {
    expect(listedAt(at, [...others], named)).toBe(expected);
  });
});
