/**
 * Where an item sits in the archive: its UTC day and its ordinal within that day (arrival order).
 * Every index list stores a slot as one number, `ord * DAY_MS + ms since midnight`, so a list
 * carries both what a query orders by (the published time) and how to load the item (the
 * ordinal), and the same item is the same number in every list of its day: intersecting two lists
 * is intersecting two sets of numbers.
 */
export const DAY_MS = 86_400_000;

/** The end of year 9999: day names are `YYYY-MM-DD`, so times are kept at or before it. */
export const LAST_MS = 253_402_300_799_999;

/** An item's place: `ms` is its published time (epoch milliseconds). */
export interface Slot {
  day: string;
  ord: number;
  ms: number;
}

/** UTC day (`2026-11-11`) of an ISO timestamp or epoch milliseconds: the archive's day name. */
export function dayOf(at: string | number): string {
  return new Date(typeof at === 'number' ? at : Date.parse(at)).toISOString().slice(0, 10);
}

export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

export function packSlot(ord: number, ms: number, day: string): number {
  return ord * DAY_MS + (ms - dayStart(day));
}

export function unpackSlot(packed: number, day: string, start = dayStart(day)): Slot {
  const offset = packed % DAY_MS;
  return { day, ord: (packed - offset) / DAY_MS, ms: start + offset };
}
