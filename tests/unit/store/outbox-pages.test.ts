import { describe, expect, it } from 'vitest';
import { appendIds, PAGE_SIZE } from '../../../src/store/outbox-pages';

const ids = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `id-${from + i}`);

describe('appendIds', () => {
  it('puts new ids on the tail page while it has room', () => {
    expect(appendIds(3, ids(0, 2), ids(2, 3))).toEqual({
      pages: [{ n: 3, ids: ids(0, 5) }],
      opened: [],
      tail: 3,
    });
  });

  it('fills the tail page, then opens pages after it, PAGE_SIZE ids each', () => {
    const appended = appendIds(0, ids(0, PAGE_SIZE - 1), ids(100, 2 * PAGE_SIZE + 3));
    expect(appended.pages.map((p) => [p.n, p.ids.length])).toEqual([
      [0, PAGE_SIZE],
      [1, PAGE_SIZE],
      [2, PAGE_SIZE],
      [3, 2],
    ]);
    expect(appended.pages.flatMap((p) => p.ids)).toEqual([
      ...ids(0, PAGE_SIZE - 1),
      ...ids(100, 2 * PAGE_SIZE + 3),
    ]);
    expect(appended.opened).toEqual([1, 2, 3]);
    expect(appended.tail).toBe(3);
  });

  it('opens the next page when the tail page is full', () => {
    expect(appendIds(4, ids(0, PAGE_SIZE), ids(100, 1))).toEqual({
      pages: [{ n: 5, ids: ids(100, 1) }],
      opened: [5],
      tail: 5,
    });
  });

  it('opens the tail page again under its number when it was emptied (or never written)', () => {
    expect(appendIds(7, undefined, ids(0, 1))).toEqual({
      pages: [{ n: 7, ids: ids(0, 1) }],
      opened: [7],
      tail: 7,
    });
  });
});
