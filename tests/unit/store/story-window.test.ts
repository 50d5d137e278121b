import { describe, expect, it } from 'vitest';
import type { KV } from '../../../src/store/kv';
import { BatchIndex, StoryWindow } from '../../../src/store/story-window';
import type { StoryFeatures } from '../../../src/stories/features';

const DAY = '2026-03-03';
type Keyed = Pick<StoryFeatures, 'lang' | 'bands' | 'link'>;
const member = (bands: number[], link?: string): Keyed => ({
  lang: 'en',
  bands,
  ...(link !== undefined && { link }),
});

/** A window with one empty day loaded (nothing is read from the store). */
async function windowOf(...members: Keyed[]): Promise<StoryWindow> {
  const window = new StoryWindow({} as KV);
  await window.sync(new Map([[DAY, 0]]));
  for (const [ord, m] of members.entries()) window.add(DAY, ord, m);
  return window;
}

describe('the story window in memory', () => {
  it('finds the members sharing a band, those sharing the most first, then the newest', async () => {
    const window = await windowOf(
      member([1, 2, 3]),
      member([1, 9, 9]),
      member([7, 8, 9]),
      member([1, 2, 8]),
    );
    expect(window.alike([DAY], member([1, 2, 3]), 12, []).map((m) => m.ord)).toEqual([0, 3, 1]);
    expect(window.alike([DAY], member([1, 2, 3]), 2, [{ day: DAY, ord: 0 }])).toEqual([
      { day: DAY, ord: 3 },
      { day: DAY, ord: 1 },
    ]);
  });

  it('reads only the newest members of a band many share', async () => {
    const crowd = Array.from({ length: 20 }, () => member([5, 6]));
    const found = (await windowOf(...crowd)).alike([DAY], member([5, 6]), 12, []);
    expect(found.map((m) => m.ord)).toEqual([19, 18, 17, 16]);
  });

  it('finds the newest two members with the same link', async () => {
    const window = await windowOf(
      member([1], 'a.example/1'),
      member([2], 'a.example/1'),
      member([3], 'b.example/2'),
      member([4], 'a.example/1'),
    );
    expect(window.linked([DAY], 'a.example/1').map((m) => m.ord)).toEqual([3, 1]);
    expect(window.linked([DAY], 'c.example/3')).toEqual([]);
  });

  it('keeps every member as the day grows past its first tables', async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => member([i * 2 + 1, i * 2 + 2], `l/${i}`));
    const window = await windowOf(...many);
    expect(window.next(DAY)).toBe(5_000);
    for (const i of [0, 1_234, 4_999]) {
      expect(window.alike([DAY], member([i * 2 + 1]), 12, []).map((m) => m.ord)).toEqual([i]);
      expect(window.linked([DAY], `l/${i}`).map((m) => m.ord)).toEqual([i]);
    }
  });

  it('knows each member by its own ordinal when some file no key or ordinals are skipped', async () => {
    const window = new StoryWindow({} as KV);
    await window.sync(new Map([[DAY, 0]]));
    window.add(DAY, 0, member([1, 2], 'l/0'));
    window.add(DAY, 1, member([])); // no band, no link: no entry at all
    window.add(DAY, 2, member([2, 3]));
    window.add(DAY, 5, member([3, 4], 'l/5')); // 3 and 4 never written
    window.add(DAY, 6, member([]));
    window.add(DAY, 7, member([4]));
    expect(window.next(DAY)).toBe(8);
    const ords = (bands: number[]) => window.alike([DAY], member(bands), 12, []).map((m) => m.ord);
    expect(ords([1])).toEqual([0]);
    expect(ords([2])).toEqual([2, 0]);
    expect(ords([3])).toEqual([5, 2]);
    expect(ords([4])).toEqual([7, 5]);
    expect(window.linked([DAY], 'l/5').map((m) => m.ord)).toEqual([5]);
    expect(window.linked([DAY], 'l/0').map((m) => m.ord)).toEqual([0]);
  });

  it('finds the batch members sharing a band in one language or the link, the newest few per key', () => {
    const batch = new BatchIndex<{ f: Keyed; id: string }>();
    batch.add({ f: member([1, 2]), id: 'en' });
    batch.add({ f: { ...member([1, 2]), lang: 'ru' }, id: 'ru' });
    batch.add({ f: { ...member([7], 'x/1'), lang: 'ru' }, id: 'link' });
    for (let i = 0; i < 10; i++) batch.add({ f: member([5]), id: `crowd-${i}` });
    const ids = (f: Keyed) => batch.near(f).map((m) => m.id);
    expect(ids(member([1, 3]))).toEqual(['en']);
    expect(ids(member([9], 'x/1'))).toEqual(['link']);
    expect(ids(member([5]))).toEqual(['crowd-6', 'crowd-7', 'crowd-8', 'crowd-9']);
  });

  it('finds batch members added between lookups, in the order they were added', () => {
    const batch = new BatchIndex<{ f: Keyed; id: string }>();
    const ids = (f: Keyed) => batch.near(f).map((m) => m.id);
    batch.add({ f: member([1]), id: 'a' });
    expect(ids(member([1]))).toEqual(['a']);
    batch.add({ f: member([1, 2]), id: 'b' });
    batch.add({ f: member([2]), id: 'c' });
    expect(ids(member([1]))).toEqual(['a', 'b']);
    expect(ids(member([2]))).toEqual(['b', 'c']);
  });
});
