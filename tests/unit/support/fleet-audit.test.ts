import { describe, expect, it } from 'vitest';
import type { PostedMessage } from '../../support/fake-discord';
import { auditDeliveries, longestPollGaps } from '../../support/fleet/audit';
import type { Published } from '../../support/fleet/news-wire';

const post = (title: string, nonce: string) =>
  ({ body: { embeds: [{ title }], nonce } }) as unknown as PostedMessage;
const published = (...ids: number[]): Published[] => ids.map((id) => ({ id, feed: 0, at: 0 }));

describe('the multi-process audit', () => {
  it('a clean run: each item once, under its own nonce', () => {
    expect(
      auditDeliveries(published(1, 2), [
        post('Feed 0 report 1', 'a'),
        post('Feed 3 report 2', 'b'),
      ]),
    ).toEqual({ lost: [], repeated: [], strays: [], sharedNonces: [] });
  });

  it('an item posted again under a new nonce is a repeat; one never posted is lost', () => {
    const audit = auditDeliveries(published(1, 2), [
      post('Feed 0 report 1', 'a'),
      post('Feed 0 report 1', 'c'),
    ]);
    expect(audit.repeated).toEqual([{ id: 1, times: 2 }]);
    expect(audit.lost).toEqual([2]);
  });

  it('a post of an item published before the window, or of another title, is a stray', () => {
    const audit = auditDeliveries(published(5), [
      post('Feed 0 report 5', 'a'),
      post('Feed 0 report 4', 'b'),
      post('Something else', 'c'),
    ]);
    expect(audit.strays).toEqual(['Feed 0 report 4', 'Something else']);
  });

  it('two messages with one nonce are named', () => {
    expect(
      auditDeliveries(published(1, 2), [post('Feed 0 report 1', 'x'), post('Feed 0 report 2', 'x')])
        .sharedNonces,
    ).toEqual(['x']);
  });

  it('poll gaps count the window edges, and a feed never polled waits the whole window', () => {
    const gaps = longestPollGaps([[110, 120, 150], [], [100, 190]], 100, 200);
    expect(gaps).toEqual([
      { feed: 1, gapMs: 100, endedAt: 200 },
      { feed: 2, gapMs: 90, endedAt: 190 },
      { feed: 0, gapMs: 50, endedAt: 200 },
    ]);
  });
});
