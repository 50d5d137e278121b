import type { StoreError } from '../errors';
import type { Logger } from '../log';

/**
 * Whether the store takes the worker's writes, as the worker last saw it. While it does not (a
 * full disk, a server gone), every feed and every drain fails alike: the first failure of an
 * outage is logged, the rest only at debug level, work rests between tries, and the first write
 * that succeeds again says so.
 */
export interface StoreHealth {
  /** True while work rests after a failure. */
  readonly resting: boolean;
  /** The first failure since the last call, if any (a `poll --once` round reports it). */
  takeFailure(): StoreError | undefined;
  failed(error: StoreError, context: Record<string, unknown>): void;
  /** A write went through: the outage, if there was one, is over. */
  succeeded(): void;
  stop(): void;
}

export const STORE_PAUSED = 'store unavailable: work paused, nothing marked seen or sent';
export const STORE_BACK = 'store reachable again';

export function createStoreHealth(
  logger: Logger,
  pauseMs: number,
  now: () => number = Date.now,
): StoreHealth {
  let downSince: number | undefined;
  let firstFailure: StoreError | undefined;
  // An outage is waited out in real time, like the loop's tick: a timer, not a date on the
  // worker's clock (which tests and the schedule may hold still).
  let rest: NodeJS.Timeout | undefined;
  return {
    get resting() {
      return rest !== undefined;
    },
    takeFailure() {
      const taken = firstFailure;
      firstFailure = undefined;
      return taken;
    },
    failed(error, context) {
      firstFailure ??= error;
      clearTimeout(rest);
      rest = setTimeout(() => {
        rest = undefined;
      }, pauseMs);
      if (downSince !== undefined) {
        logger.debug('store still unavailable', { ...context, error });
        return;
      }
      downSince = now();
      logger.error(STORE_PAUSED, { ...context, retryInSeconds: pauseMs / 1000, error });
    },
    succeeded() {
      if (downSince === undefined) return;
      logger.info(STORE_BACK, { pausedSeconds: Math.round((now() - downSince) / 1000) });
      downSince = undefined;
    },
    stop() {
      clearTimeout(rest);
      rest = undefined;
    },
  };
}
