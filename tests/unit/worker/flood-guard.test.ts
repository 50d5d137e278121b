import { describe, expect, it } from 'vitest';
import type { Route, Target } from '../../../src/domain/delivery';
import type { Item } from '../../../src/domain/item';
import { sharedGuids } from '../../../src/feeds/shared-guids';
import { newDelivery } from '../../../src/store/outbox';
import {
  foldedDelivery,
  planPosts,
  postsWanted,
  type Routed,
} from '../../../src/worker/flood-guard';
import { renamedByTitle } from '../../../src/worker/rekey';

const NEWS: Target = { kind: 'channel', channelId: '111111111111111111' };
const DIGEST: Target = { kind: 'digest', channelId: '222222222222222222' };

function item(n: number): Item {
  return {
    key: `k${n}`,
    storyKey: `l:https://example.org/${n}`,
    feedId: 'wire',
    link: `https://example.org/${n}`,
    title: `Story ${n}`,
    description: '',
    text: '',
    categories: [],
    publishedAt: new Date(Date.UTC(2026, 10, 28, 12) - n * 60_000).toISOString(),
    fetchedAt: '2026-11-28T12:00:00.000Z',
  };
}

/** `n` items (newest first), each routed to every target given. */
function routed(n: number, ...targets: Route[]): Routed[] {
  return Array.from({ length: n }, (_, i) => item(i + 1)).flatMap((it) =>
    targets.map((route) => ({ item: it, route })),
  );
}

describe('the flood guard', () => {
  it('a feed listing more new items than one poll may post folds the rest into one message per target', () => {
    const routes = routed(50, { target: NEWS, topicIds: ['a'] });
    const plan = planPosts(routes, 20, new Map([['111111111111111111', 20]]));
    expect(plan.send.map((r) => r.item.key)).toEqual(routes.slice(0, 20).map((r) => r.item.key));
    expect(plan.folded).toHaveLength(1);
    expect(plan.folded[0]!.items.map((i) => i.key)).toEqual(
      routes.slice(20).map((r) => r.item.key),
    );
  });

  it('a channel out of its hourly posts gets the rest folded, while a digest is not rate limited', () => {
    const routes = routed(
      5,
      { target: NEWS, topicIds: ['a'] },
      { target: DIGEST, topicIds: ['b'], notBefore: '2026-11-29T08:00:00.000Z' },
    );
    expect(postsWanted(routes, 20)).toEqual(new Map([['111111111111111111', 5]]));
    const plan = planPosts(routes, 20, new Map([['111111111111111111', 2]]));
    expect(plan.send.filter((r) => r.route.target === NEWS)).toHaveLength(2);
    expect(plan.send.filter((r) => r.route.target === DIGEST)).toHaveLength(5);
    expect(plan.folded.map((f) => [f.target, f.items.length])).toEqual([[NEWS, 3]]);
  });

  it('a poll within every limit folds nothing', () => {
    const routes = routed(3, { target: NEWS, topicIds: ['a'] });
    const plan = planPosts(routes, 20, postsWanted(routes, 20));
    expect(plan).toEqual({ send: routes, folded: [] });
  });

  it('a folded delivery is its own delivery: the newest item, the count, the topics, a digest time', () => {
    const fold = {
      target: DIGEST,
      items: [item(1), item(2), item(3)],
      topicIds: ['a', 'b'],
      notBefore: '2026-11-29T08:00:00.000Z',
    };
    const now = new Date('2026-11-28T12:00:00Z');
    const d = foldedDelivery(fold, now);
    expect(d).toMatchObject({
      itemKey: 'k1',
      folded: 3,
      topicIds: ['a', 'b'],
      notBefore: fold.notBefore,
    });
    expect(d.id).not.toBe(newDelivery(DIGEST, 'k1', ['a'], now).id);
    expect(d.nonce.length).toBeLessThanOrEqual(25);
    expect(foldedDelivery(fold, now).id).toBe(d.id);
  });
});

describe('the mass re-key detector', () => {
  const fresh = Array.from({ length: 10 }, (_, i) => item(i + 1));
  it.each([
    ['most new items under known titles are renamed', 9, 9],
    ['every new item under a known title is renamed', 10, 10],
    ['a few known titles among new items are ordinary news', 5, 0],
  ])('%s', (_, known, renamed) => {
    const titles = new Set(fresh.slice(0, known).map((i) => i.key));
    expect(renamedByTitle(fresh, titles)).toHaveLength(renamed);
  });

  it('a handful of new items is never a re-key, whatever their titles', () => {
    const few = fresh.slice(0, 3);
    expect(renamedByTitle(few, new Set(few.map((i) => i.key)))).toEqual([]);
  });
});

describe('shared guids', () => {
  const entry = (guid: string | undefined, link: string, title: string) => ({
    guid,
    link,
    title,
    categories: [],
  });
  it('a guid on several different entries of one document is shared; one entry listed twice is not', () => {
    expect(
      sharedGuids([
        entry('same', 'https://example.org/1', 'One'),
        entry(' same ', 'https://example.org/2', 'Two'),
        entry('dup', 'https://example.org/3', 'Three'),
        entry('dup', 'https://example.org/3', 'Three'),
        entry(undefined, 'https://example.org/4', 'Four'),
        entry('own', 'https://example.org/5', 'Five'),
      ]),
    ).toEqual(new Set(['same']));
  });
});
