import { StoreError } from '../errors';
import type { Logger } from '../log';
import type { KV } from '../store/kv';
import { describeHolder, type LeaseClaim, type LeaseHolder, thisProcess } from '../store/lease';

/**
 * This process's hold on one named lease: taken once, then renewed every third of its time to
 * live while the process works, and given up on close. A standby claims at the same pace, so it
 * takes over at most `ttlMs + ttlMs / 3` after the holder died.
 */
export interface LeaseKeeper {
  readonly holder: LeaseHolder;
  readonly ttlMs: number;
  /** Whether this process is waiting in `waitFor` for the lease: a hot standby. */
  readonly waiting: boolean;
  /** Claims the lease once: held, or who holds it. */
  acquire(): Promise<LeaseClaim>;
  /**
   * Claims again and again until the lease is ours (true) or `signal` aborts (false). Told the
   * holder it waits for, once per holder.
   */
  waitFor(
    signal: AbortSignal,
    onWaiting: (holder: LeaseHolder | undefined) => void,
  ): Promise<boolean>;
  /** Renews the held lease until release(); `onLost` hears of another holder having taken it. */
  keep(onLost: (holder: LeaseHolder | undefined) => void): void;
  release(): Promise<void>;
}

export function createLeaseKeeper(options: {
  kv: Pick<KV, 'claimLease' | 'releaseLease'>;
  name: string;
  ttlMs: number;
  logger: Logger;
  now: () => Date;
}): LeaseKeeper {
  const { kv, name, ttlMs, logger } = options;
  const everyMs = Math.max(100, Math.floor(ttlMs / 3));
  const holder = thisProcess(options.now());
  let held = false;
  let waiting = false;
  let renewal: NodeJS.Timeout | undefined;
  let renewing: Promise<void> | undefined;
  const claim = async (): Promise<LeaseClaim> => {
    const result = await kv.claimLease(name, holder, ttlMs);
    if (result.held || !diedHere(result.holder, holder)) return result;
    // Killed (or crashed) on this machine: no need to wait for its lease to run out.
    logger.info(`lease: the instance that held it (${describeHolder(result.holder)}) is gone`);
    return kv.claimLease(name, holder, ttlMs, result.holder?.id);
  };

  return {
    holder,
    ttlMs,
    get waiting() {
      return waiting;
    },
    async acquire() {
      const result = await claim();
      held = result.held;
      return result;
    },
    async waitFor(signal, onWaiting) {
      waiting = true;
      try {
        let told: string | undefined;
        while (!signal.aborted) {
          try {
            const result = await claim();
            if (result.held) return (held = true);
            if (told !== result.holder?.id) {
              told = result.holder?.id;
              onWaiting(result.holder);
            }
          } catch (err) {
            if (!(err instanceof StoreError)) throw err;
            logger.warn('standby: the store did not answer; trying again', { error: err });
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, everyMs);
            signal.addEventListener('abort', done, { once: true });
            function done() {
              clearTimeout(timer);
              signal.removeEventListener('abort', done);
              resolve();
            }
          });
        }
        return false;
      } finally {
        waiting = false;
      }
    },
    keep(onLost) {
      const renew = async () => {
        try {
          const result = await claim();
          if (!result.held) {
            held = false;
            logger.error(`lease lost: ${describeHolder(result.holder)} holds it now; stopping`, {
              lease: name,
            });
            onLost(result.holder);
            return;
          }
        } catch (err) {
          // The worker pauses and says so; the lease is claimed again once the store answers,
          // and if another instance took it meanwhile, this one stops then.
          logger.debug('lease renewal failed', { lease: name, error: err });
        }
        if (held) next();
      };
      const next = () => {
        renewal = setTimeout(() => {
          renewing = renew();
        }, everyMs);
      };
      next();
    },
    async release() {
      clearTimeout(renewal);
      // A renewal still on its way would take the lease again after the release.
      await renewing;
      clearTimeout(renewal);
      if (!held) return;
      held = false;
      await kv.releaseLease(name, holder.id);
    },
  };
}

/**
 * A holder that ran on this machine, in this process-id namespace, and whose process no longer
 * exists. Anything less certain (another host, a pid that lives — perhaps reused) is left to expire.
 */
function diedHere(other: LeaseHolder | undefined, self: LeaseHolder): boolean {
  if (!other || other.host !== self.host) return false;
  if (!other.pidNamespace || other.pidNamespace !== self.pidNamespace) return false;
  try {
    process.kill(other.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
