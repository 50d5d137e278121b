import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery, Target } from '../../../src/domain/delivery';
import type { Item } from '../../../src/domain/item';
import { newDelivery } from '../../../src/store/outbox';
import { createStoryIndex } from '../../../src/store/story-index';
import { createStoryPostsRepo } from '../../../src/store/story-posts';
import { routeByStory, type StoryRouting } from '../../../src/worker/story-routing';
import { backends, type TestStore } from '../../support/stores';

const NOW = new Date('2026-11-28T15:00:00Z');
const DAY = 86_400_000;
const channel: Target = { kind: 'channel', channelId: '300000000000000010' };
const digest: Target = { kind: 'digest', channelId: '300000000000000011' };

function item(key: string, feedId: string, link: string, title: string): Item {
  return {
    key,
    storyKey: `l:${link}`,
    feedId,
    link,
    title,
    description: '',
    text: '',
    categories: [],
    publishedAt: '2026-11-28T13:00:00.000Z',
    fetchedAt: NOW.toISOString(),
  };
}
// One story: the same canonical link, once with tracking parameters.
const first = item('a', 'un', 'https://news.example.org/story/1161480', 'Customs centre opens');
const second = item(
  'b',
  'kz',
  'https://news.example.org/story/1161480/?utm_source=rss',
  'Centre opens',
);
const other = item('c', 'kz', 'https://agency.example.kz/other', 'Unrelated news');

const to = (target: Target, i: Item): Delivery => newDelivery(target, i.key, ['t'], NOW);

describe('routing deliveries by story (SQLite store)', () => {
  let store: TestStore;
  let routing: StoryRouting;
  beforeEach(async () => {
    store = await backends[0]!.open();
    routing = {
      stories: createStoryIndex(store.kv, { retentionMs: 30 * DAY }),
      posts: createStoryPostsRepo(store.kv, { retentionMs: 30 * DAY }),
    };
  });
  afterEach(() => store.dispose());

  it('two items of one story to one target make one briefing, keyed by target and story', async () => {
    const out = await routeByStory(
      routing,
      [first, second],
      [to(channel, first), to(channel, second)],
    );
    const briefings = out.filter((d) => !d.update);
    expect(briefings).toHaveLength(1);
    expect(briefings[0]).toMatchObject({ itemKey: 'a', storyId: expect.any(String) });
    expect(briefings[0]!.nonce).toBe(briefings[0]!.id);
    // The later source may be drained after the briefing: it has an update of its own.
    expect(out.filter((d) => d.update).map((d) => d.itemKey)).toEqual(['b']);
  });

  it('deciding again after a crash gives the same deliveries', async () => {
    const once = await routeByStory(
      routing,
      [first, other],
      [to(channel, first), to(channel, other)],
    );
    const again = await routeByStory(
      routing,
      [first, other],
      [to(channel, first), to(channel, other)],
    );
    expect(again).toEqual(once);
    expect(new Set(once.map((d) => d.storyId)).size).toBe(2);
  });

  it('a target told of a story gets an update for a new source, nothing for one it was told, and a digest nothing', async () => {
    const [briefing] = await routeByStory(
      routing,
      [first],
      [to(channel, first), to(digest, first)],
    );
    const storyId = briefing!.storyId!;
    const at = NOW.toISOString();
    await routing.posts.record(channel, storyId, { postedAt: at, editedAt: at, itemKeys: ['a'] });
    await routing.posts.record(digest, storyId, { postedAt: at, editedAt: at, itemKeys: ['a'] });

    const later = await routeByStory(routing, [second], [to(channel, second), to(digest, second)]);
    expect(later).toEqual([{ ...to(channel, second), storyId, update: true }]);

    await routing.posts.record(channel, storyId, {
      postedAt: at,
      editedAt: at,
      itemKeys: ['a', 'b'],
    });
    expect(await routeByStory(routing, [second], [to(channel, second)])).toEqual([]);
  });
});
