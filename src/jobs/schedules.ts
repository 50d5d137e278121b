import { digest } from '../store/hash';
import { type FetchGroup, slotOffset } from '../worker/schedule';

/**
 * One repeating poll job per URL group, in the job engine: every `everyMs`, at the group's own
 * slot within the interval (the offset the single process schedules it at too), so feeds spread
 * over the interval instead of all firing at once.
 */
export interface PollSchedule {
  /** The job scheduler's id: a digest of the group key (URLs are long and full of colons). */
  id: string;
  groupKey: string;
  everyMs: number;
  offsetMs: number;
}

/** What the engine already has: a scheduler's id and its interval. */
export interface ExistingSchedule {
  id: string;
  everyMs?: number;
}

export const scheduleId = (groupKey: string) => `poll-${digest(groupKey)}`;

export function pollSchedules(groups: FetchGroup[]): PollSchedule[] {
  return groups.map((g) => ({
    id: scheduleId(g.key),
    groupKey: g.key,
    everyMs: g.intervalMs,
    offsetMs: slotOffset(g.key, g.intervalMs),
  }));
}

/**
 * What to change so the engine runs exactly `wanted`: add the new groups, re-add those whose
 * interval changed, remove the groups no longer in the catalogue. A scheduler left as it is keeps
 * its next run (re-adding one unchanged would be harmless, but costs a call per feed per start).
 */
export function planSchedules(
  wanted: PollSchedule[],
  existing: ExistingSchedule[],
): { added: PollSchedule[]; changed: PollSchedule[]; removed: string[] } {
  const had = new Map(existing.map((e) => [e.id, e.everyMs]));
  const keep = new Set(wanted.map((w) => w.id));
  return {
    added: wanted.filter((w) => !had.has(w.id)),
    changed: wanted.filter((w) => had.has(w.id) && had.get(w.id) !== w.everyMs),
    removed: existing.filter((e) => !keep.has(e.id)).map((e) => e.id),
  };
}
