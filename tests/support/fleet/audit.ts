/**
 * What a multi-process run is judged by, computed from what the outside world saw: the posts at
 * the fake Discord and the polls at the news wire. Pure, so the verdict does not depend on
 * anything the bot says about itself.
 */
import type { PostedMessage } from '../fake-discord';
import { type Published, wireId } from './news-wire';

export interface DeliveryAudit {
  /** Ids published and never posted. */
  lost: number[];
  /** Ids posted more than once (under any nonce), with how often. */
  repeated: Array<{ id: number; times: number }>;
  /** Posts of no published item (another title, or an id the wire never published in the window). */
  strays: string[];
  /** Nonces that appear on more than one message. */
  sharedNonces: string[];
}

export function auditDeliveries(
  published: Published[],
  messages: readonly PostedMessage[],
): DeliveryAudit {
  const wanted = new Set(published.map((p) => p.id));
  const times = new Map<number, number>();
  const strays: string[] = [];
  const nonces = new Map<string, number>();
  for (const m of messages) {
    const title = m.body.embeds?.[0]?.title;
    const id = wireId(title);
    if (id === undefined || !wanted.has(id)) strays.push(title ?? '(no embed)');
    else times.set(id, (times.get(id) ?? 0) + 1);
    const nonce = String(m.body.nonce);
    nonces.set(nonce, (nonces.get(nonce) ?? 0) + 1);
  }
  return {
    lost: [...wanted].filter((id) => !times.has(id)),
    repeated: [...times].filter(([, n]) => n > 1).map(([id, n]) => ({ id, times: n })),
    strays,
    sharedNonces: [...nonces].filter(([, n]) => n > 1).map(([nonce]) => nonce),
  };
}

export interface PollGap {
  feed: number;
  /** Milliseconds between two polls of the feed (or from `from` to its first poll, or from its last to `to`). */
  gapMs: number;
  /** Where the gap ended (epoch ms). */
  endedAt: number;
}

/**
 * The longest wait for a poll on each feed within [from, to]: between consecutive polls, and at
 * the window's edges (a feed never polled in the window has one gap: the whole window). Sorted
 * longest first.
 */
export function longestPollGaps(polls: number[][], from: number, to: number): PollGap[] {
  return polls
    .map((times, feed) => {
      const inside = times.filter((t) => t >= from && t <= to);
      const marks = [from, ...inside, to];
      let worst: PollGap = { feed, gapMs: 0, endedAt: from };
      for (let i = 1; i < marks.length; i++) {
        const gapMs = marks[i]! - marks[i - 1]!;
        if (gapMs > worst.gapMs) worst = { feed, gapMs, endedAt: marks[i]! };
      }
      return worst;
    })
    .sort((a, b) => b.gapMs - a.gapMs);
}
