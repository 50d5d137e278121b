/**
 * How many fetches may run at once: a global cap protects our own process and network, a per-host
 * cap keeps us polite to each publisher. Waiters are served in arrival order among those whose
 * host has a free slot, so one busy host never holds up the others.
 */
export interface Limiter {
  /** Resolves with a release function once a slot is free; rejects with the signal's reason on abort. */
  acquire(host: string, signal?: AbortSignal): Promise<() => void>;
  /** Fetches running now (for tests and metrics). */
  readonly active: number;
}

interface Waiter {
  host: string;
  grant: (release: () => void) => void;
}

export function createLimiter(global: number, perHost: number): Limiter {
  if (!(global >= 1 && perHost >= 1)) throw new RangeError('concurrency limits must be at least 1');
  const queue: Waiter[] = [];
  const byHost = new Map<string, number>();
  let active = 0;

  const free = (host: string) => active < global && (byHost.get(host) ?? 0) < perHost;

  function take(host: string): () => void {
    active++;
    byHost.set(host, (byHost.get(host) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active--;
      const left = (byHost.get(host) ?? 1) - 1;
      if (left) byHost.set(host, left);
      else byHost.delete(host);
      drain();
    };
  }

  function drain() {
    for (let i = 0; i < queue.length && active < global; ) {
      const w = queue[i]!;
      if (!free(w.host)) {
        i++;
        continue;
      }
      queue.splice(i, 1);
      w.grant(take(w.host));
    }
  }

  return {
    get active() {
      return active;
    },
    acquire(host, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      // Anyone already queued is blocked by their own host's cap (drain runs on every release).
      if (free(host)) return Promise.resolve(take(host));
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          reject(signal!.reason);
        };
        const waiter: Waiter = {
          host,
          grant: (release) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(release);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
      });
    },
  };
}
