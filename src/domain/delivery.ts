import { z } from 'zod';
import type { Item } from './item';
import type { Match } from './match';

/**
 * Where a delivery goes: the terminal (console mode), a Discord channel message by message, or a
 * channel's daily digest. A union rather than a string with conventions, so that a digest can
 * never be mistaken for a channel id.
 */
export type Target =
  | { kind: 'console' }
  | { kind: 'channel'; channelId: string }
  | { kind: 'digest'; channelId: string };

const DIGEST_PREFIX = 'digest:';

/**
 * The one string form of a target: a map key, the input of a delivery's id, and how deliveries
 * written before targets were objects stored them ('console', a channel id, 'digest:<channel>').
 * Keeping ids derived from this form keeps a pending delivery's id the same across the upgrade.
 */
export function encodeTarget(target: Target): string {
  switch (target.kind) {
    case 'console':
      return 'console';
    case 'channel':
      return target.channelId;
    case 'digest':
      return `${DIGEST_PREFIX}${target.channelId}`;
  }
}

export function decodeTarget(text: string): Target {
  if (text === 'console') return { kind: 'console' };
  if (text.startsWith(DIGEST_PREFIX))
    return { kind: 'digest', channelId: text.slice(DIGEST_PREFIX.length) };
  return { kind: 'channel', channelId: text };
}

/** The Discord channel a target posts in; undefined for the console. */
export function channelOf(target: Target): string | undefined {
  return target.kind === 'console' ? undefined : target.channelId;
}

const ChannelId = z.string().min(1);
export const TargetSchema = z.union([
  z.object({ kind: z.literal('console') }),
  z.object({ kind: z.literal('channel'), channelId: ChannelId }),
  z.object({ kind: z.literal('digest'), channelId: ChannelId }),
  // Deliveries queued by earlier versions stored the string form; they still drain.
  z.string().min(1).transform(decodeTarget),
]);

/**
 * One item on its way to one target. Written before the item is marked seen and removed only
 * after the target accepted it, so a crash in between repeats a delivery (which the nonce makes
 * harmless) instead of losing one.
 */
export const DeliverySchema = z.object({
  id: z.string(),
  target: TargetSchema,
  itemKey: z.string(),
  topicIds: z.array(z.string()),
  mentionRoleId: z.string().optional(),
  /** At most 25 characters, as Discord requires; the same on every attempt. */
  nonce: z.string().max(25),
  createdAt: z.string(),
  attempts: z.number().int().min(0),
  /** Not before this time (ISO): set after a failure, or for a digest. */
  notBefore: z.string().optional(),
  lastError: z.string().optional(),
  /**
   * Set when this delivery stands for that many new items of one feed, over what one poll or one
   * channel may post, told as one "N more" message; `itemKey` is the newest of them.
   */
  folded: z.number().int().min(1).optional(),
  /**
   * When a send began (ISO), written before the send: a delivery whose record cannot be written
   * is never sent. Still set on a pending delivery, it says a run ended (or lost the store) after
   * sending began, so the target may have it already.
   */
  sendingSince: z.string().optional(),
  /** The story the item belongs to: a target is briefed once per story (id = target × story). */
  storyId: z.string().optional(),
  /** A later source of a story the target was already briefed on: tell it as an update. */
  update: z.boolean().optional(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

/** Where one matched item should go: a channel (or the console), with the topics it answers. */
export interface Route {
  target: Target;
  topicIds: string[];
  mentionRoleId?: string;
  /** Hold the delivery until then (ISO): a digest's time, or a paused channel's next try. */
  notBefore?: string;
}

/** Decides the targets of a new item from its matches (subscriptions in Discord mode) at `now`. */
export type Router = (item: Item, matches: Match[], now: Date) => Promise<Route[]>;
