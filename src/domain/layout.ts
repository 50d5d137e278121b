/**
 * How a subscription's briefings look: `card` is the full embed (summary, why it matched,
 * thumbnail), `compact` one line of text with source and link, `headline` a small embed with
 * title, source, time and the item's picture shown large. Here because a subscription stores it
 * and the renderer reads it.
 */
export const LAYOUTS = ['card', 'compact', 'headline'] as const;
export type Layout = (typeof LAYOUTS)[number];
/** @default card: what every subscription showed before layouts existed. */
export const DEFAULT_LAYOUT: Layout = 'card';

export const isLayout = (value: string): value is Layout =>
  (LAYOUTS as readonly string[]).includes(value);
