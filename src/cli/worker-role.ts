import type { App } from '../app';
import { keepSchedulesInStep } from '../jobs/schedule-sync';
import type { Logger } from '../log';
import { observe } from '../observe/metrics';
import { groupByUrl } from '../worker/schedule';

/** How often a worker compares the catalogue with the job schedulers (after a config reload). */
const SCHEDULE_LOOK_MS = 5_000;

/**
 * `start --role worker`, once the app is built: puts the catalogue's schedules in the job queue,
 * then takes poll jobs until stopped (app.close() lets the running jobs finish). No lease: any
 * number of workers share the queue, each job taken by one of them.
 */
export async function takePollJobs(
  app: App,
  logger: Logger,
  concurrency: number,
): Promise<{ stop(): void }> {
  const engine = app.jobs!;
  const schedules = keepSchedulesInStep({
    engine,
    // Looking for work is the worker's round (what /healthz watches): jobs come only at slots.
    groups: () => (observe.round(new Date()), groupByUrl(app.feeds())),
    logger,
    everyMs: SCHEDULE_LOOK_MS,
  });
  try {
    await schedules.first;
    engine.consume((key) => app.worker.pollGroup(key));
    await engine.announce('active');
  } catch (err) {
    schedules.stop();
    throw err;
  }
  logger.info(`worker: taking poll jobs from the queue (concurrency ${concurrency})`);
  return { stop: () => schedules.stop() };
}
