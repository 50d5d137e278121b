/**
 * Runs tasks on the same key one after another, inside this process only. It keeps nothing safe
 * from another process: shared store records change through `KV.update` (atomic.ts). What it is
 * for is ordering within a process — the archive queues a day's puts behind the write in flight
 * so they join one batch, and the topics file editor edits one file at a time. (story-index.ts still serialises its
 * decisions with it, which holds within one process only, until it moves to `KV.update`.)
 */
export class KeyedMutex {
  private tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    try {
      await previous;
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
