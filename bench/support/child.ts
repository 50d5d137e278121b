/**
 * Child processes for the benches that must not share a process with what they measure: the feed
 * farm (its CPU is not the bot's) and the subjects whose resident memory is reported (their RSS
 * is their own). Children are TypeScript run through tsx and answer requests over the IPC channel.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** A request to a child: `id` pairs it with the reply. */
export interface Envelope {
  id: number;
  body: unknown;
}
export type Reply =
  | { id: number; ok: true; body: unknown }
  | { id: number; ok: false; error: string };

export interface Child {
  readonly pid: number;
  /** Sends one request and waits for its reply; rejects if the child fails it or dies. */
  request<T>(body: unknown): Promise<T>;
  /** Asks the child to finish, then waits for it to exit (killing it if it does not). */
  stop(): Promise<void>;
}

export function forkTs(file: string, env: Record<string, string> = {}): Child {
  const proc: ChildProcess = fork(file, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    proc.once('exit', (code, signal) => {
      exited = true;
      for (const w of waiting.values())
        w.reject(new Error(`${file} exited (${signal ?? code}) before answering`));
      waiting.clear();
      resolve();
    });
  });
  proc.on('message', (raw) => {
    const reply = raw as Reply;
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.ok) w.resolve(reply.body);
    else w.reject(new Error(reply.error));
  });
  return {
    get pid() {
      return proc.pid ?? -1;
    },
    request<T>(body: unknown) {
      if (exited) return Promise.reject(new Error(`${file} has exited`));
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, body } satisfies Envelope);
      });
    },
    async stop() {
      if (exited) return;
      proc.send({ id: 0, body: { type: 'exit' } } satisfies Envelope);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * The child side: answers each request with `handle`'s result; `{ type: 'exit' }` runs `onExit`
 * and ends the process.
 */
export function serveParent(
  handle: (body: { type: string } & Record<string, unknown>) => Promise<unknown>,
  onExit: () => Promise<void>,
): void {
  process.on('message', (raw) => {
    const { id, body } = raw as Envelope;
    const message = body as { type: string } & Record<string, unknown>;
    if (message.type === 'exit') {
      void onExit().finally(() => process.exit(0));
      return;
    }
    handle(message).then(
      (result) => process.send?.({ id, ok: true, body: result } satisfies Reply),
      (err: unknown) =>
        process.send?.({
          id,
          ok: false,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        } satisfies Reply),
    );
  });
  // The parent going away (a crash, Ctrl-C) must not leave servers or bots running.
  process.on('disconnect', () => void onExit().finally(() => process.exit(0)));
}

/** A field of /proc/<pid>/status in bytes (VmRSS, VmHWM), or undefined where /proc is missing. */
export function procStatusBytes(
  pid: number | 'self',
  field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile',
): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resets VmHWM to the current RSS (Linux `clear_refs` 5), so the next peak is of what follows. */
export function resetPeak(pid: number | 'self'): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * The peak RSS of this process while `run` runs: the larger of VmHWM after a reset and samples of
 * process.memoryUsage().rss every 50 ms (the only source where /proc is missing).
 */
export async function peakRssDuring<T>(
  run: () => Promise<T>,
): Promise<{ result: T; peakBytes: number }> {
  const canReset = resetPeak('self');
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const result = await run();
    peak = Math.max(
      peak,
      process.memoryUsage().rss,
      (canReset && procStatusBytes('self', 'VmHWM')) || 0,
    );
    return { result, peakBytes: peak };
  } finally {
    clearInterval(timer);
  }
}
