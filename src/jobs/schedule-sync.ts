import { StoreError } from '../errors';
import type { Logger } from '../log';
import type { FetchGroup } from '../worker/schedule';
import type { JobEngine } from './engine';

/** What a catalogue schedules: its groups and their intervals, as one comparable string. */
export const scheduleSignature = (groups: FetchGroup[]) =>
  groups
    .map((g) => `${g.key} ${g.intervalMs}`)
    .sort()
    .join('\n');

/**
 * Keeps the job engine's schedulers in step with the catalogue while a worker runs: the groups
 * are compared every `everyMs` (in memory, no call), and synced when a config reload (or a
 * guild's feed) changed them. A sync that failed is tried again at the next look.
 */
export function keepSchedulesInStep(options: {
  engine: Pick<JobEngine, 'sync'>;
  groups: () => FetchGroup[];
  logger: Logger;
  everyMs: number;
}): { first: Promise<void>; stop(): void } {
  let synced: string | undefined;
  let syncing = false;
  async function look() {
    const groups = options.groups();
    const signature = scheduleSignature(groups);
    if (signature === synced || syncing) return;
    syncing = true;
    try {
      const changes = await options.engine.sync(groups);
      synced = signature;
      if (changes.added + changes.changed + changes.removed > 0)
        options.logger.info('job schedules updated', changes);
    } finally {
      syncing = false;
    }
  }
  const timer = setInterval(
    () =>
      void look().catch((error: unknown) =>
        options.logger.warn(
          error instanceof StoreError
            ? 'job schedules not updated: the job queue did not answer'
            : 'job schedules not updated',
          { error },
        ),
      ),
    options.everyMs,
  );
  timer.unref();
  return { first: look(), stop: () => clearInterval(timer) };
}
