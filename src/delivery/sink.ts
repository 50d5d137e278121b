import type { Delivery } from '../domain/delivery';
import type { Briefing } from './briefing';

/**
 * What became of one send: accepted, to be tried again later, held until the target accepts
 * again, or dropped because no attempt could ever succeed (the reason is logged).
 */
export type SendResult =
  /**
   * Accepted. `unrecorded`: the sink's own record of what it sent (a story's post) could not be
   * written; the send stands, and the drain treats it like an outbox removal that failed after a
   * send — never sent again by this process, and work pauses on the store error.
   */
  | { kind: 'sent'; unrecorded?: unknown }
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
