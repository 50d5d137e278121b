import type { Delivery } from '../store/outbox';
import type { Briefing } from './briefing';

/**
 * What became of one send: accepted, to be tried again later, held until the target accepts
 * again, or dropped because no attempt could ever succeed (the reason is logged).
 */
export type SendResult =
  | { kind: 'sent' }
  | { kind: 'retry'; afterMs: number; reason: string }
  | { kind: 'paused'; reason: string }
  | { kind: 'dropped'; reason: string };

export interface Outgoing {
  delivery: Delivery;
  briefing: Briefing;
}

/** Where briefings go: a Discord channel over REST, or the terminal. */
export interface Sink {
  send(delivery: Delivery, briefing: Briefing): Promise<SendResult>;
  /** Everything due for one digest target, told as one digest; one result for all of it. */
  sendDigest?(batch: Outgoing[]): Promise<SendResult>;
}

const DIGEST_PREFIX = 'digest:';

/** The target of deliveries that wait for a channel's digest rather than being posted one by one. */
export const digestTarget = (channelId: string) => `${DIGEST_PREFIX}${channelId}`;

/** The channel (or 'console') a target names, and whether it is a digest. */
export function parseTarget(target: string): { channelId: string; digest: boolean } {
  return target.startsWith(DIGEST_PREFIX)
    ? { channelId: target.slice(DIGEST_PREFIX.length), digest: true }
    : { channelId: target, digest: false };
}
