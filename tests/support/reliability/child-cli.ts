/**
 * Runs `bin/briefing.mjs` as a child process, the way an operator (or systemd) runs it, with an
 * environment made only of what the test passes: nothing leaks in from the developer's shell.
 *
 * ```ts
 * const run = runCli(['poll', '--once', '--config', dir], { STORE_URL, DISCORD_TOKEN }, { cwd: dir });
 * run.kill('SIGKILL');
 * const { code, signal } = await run.exited;
 * expect(run.output()).not.toContain(secret);
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/briefing.mjs', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliRun {
  readonly child: ChildProcess;
  /** Resolves when the process has exited and its output streams are closed. */
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr, interleaved as they arrived. */
  output(): string;
  /** Resolves once the output contains `text`; rejects if the process exits first. */
  waitForOutput(text: string): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { cwd: string },
): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let all = '';
  const listeners = new Set<() => void>();
  const wake = () => {
    for (const l of listeners) l();
  };
  child.stdout!.on('data', (chunk: Buffer) => ((out += chunk), (all += chunk), wake()));
  child.stderr!.on('data', (chunk: Buffer) => ((err += chunk), (all += chunk), wake()));
  let done = false;
  const exited = once(child, 'close').then(([code, signal]) => {
    done = true;
    wake();
    return { code, signal } as Exit;
  });

  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    output: () => all,
    waitForOutput(text) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (all.includes(text)) resolve();
          else if (done)
            reject(
              new Error(
                `process exited before printing ${JSON.stringify(text)}:\n${all.slice(-2000)}`,
              ),
            );
          else return;
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Resolves with the exit, or rejects (after killing the child) when it takes longer than `ms`. */
export async function exitWithin(run: CliRun, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.kill('SIGKILL');
      reject(new Error(`process did not exit within ${ms} ms:\n${run.output().slice(-2000)}`));
    }, ms);
  });
  try {
    return await Promise.race([run.exited, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
