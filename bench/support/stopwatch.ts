/**
 * Where the time of a pipeline run goes, without changing the pipeline: the stores and functions
 * it is handed are wrapped so each call adds its elapsed time to a label. Valid only while one
 * run is in flight at a time (nothing else is awaited concurrently), as in the pipeline bench.
 */
export class Stopwatch {
  private totals = new Map<string, number>();

  add(label: string, ms: number): void {
    this.totals.set(label, (this.totals.get(label) ?? 0) + ms);
  }

  /** The totals so far, and a fresh start. */
  take(): Map<string, number> {
    const out = this.totals;
    this.totals = new Map();
    return out;
  }

  /** `fn`, timed under `label` (awaiting it when it returns a promise). */
  wrap<A extends unknown[], R>(label: string, fn: (...args: A) => R): (...args: A) => R {
    return (...args) => {
      const t0 = performance.now();
      const out = fn(...args);
      if (out instanceof Promise)
        return out.finally(() => this.add(label, performance.now() - t0)) as R;
      this.add(label, performance.now() - t0);
      return out;
    };
  }

  /** The object with every method timed under `label`. */
  methods<T extends object>(label: string, target: T): T {
    return new Proxy(target, {
      get: (t, key, receiver) => {
        const value: unknown = Reflect.get(t, key, receiver);
        return typeof value === 'function'
          ? this.wrap(label, (...args: unknown[]) =>
              (value as (...a: unknown[]) => unknown).apply(t, args),
            )
          : value;
      },
    });
  }
}
