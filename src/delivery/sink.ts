import type { Delivery } from '../domain/delivery';
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
