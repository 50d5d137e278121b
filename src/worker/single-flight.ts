/**
 * Runs `task` one at a time. A request while it runs gets one more run after it, shared by every
 * such request: the running one may have started before the caller's work was ready (say, read
 * the outbox before the caller's deliveries were written), which would otherwise wait for the
 * next tick.
 */
export function singleFlight(task: () => Promise<void>): {
  run(): Promise<void>;
  /** The run in progress and its follow-up, if any. */
  settled(): Promise<void>;
} {
  let running: Promise<void> | undefined;
  let followUp: Promise<void> | undefined;
  function run(): Promise<void> {
    if (running) {
      followUp ??= running.then(() => {
        followUp = undefined;
        return run();
      });
      return followUp;
    }
    running = task().finally(() => {
      running = undefined;
    });
    return running;
  }
  return { run, settled: async () => void (await (followUp ?? running)) };
}
