/**
 * The whole bot as users run it — `npm start`: `node <flags> bin/briefing.mjs start`, with the
 * flags read from package.json — in a child process whose resident memory is sampled from /proc
 * every 250 ms (VmRSS), so its figures are its own.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { procStatusBytes } from './child';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'briefing.mjs');

/** The node flags of package.json's `start` script (`node --max-semi-space-size=1 bin/…`). */
export function startFlags(): string[] {
  const script: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const words = script.split(/\s+/);
  const bin = words.indexOf('bin/briefing.mjs');
  if (words[0] !== 'node' || bin < 0)
    throw new Error(
      `package.json start script is not "node [flags] bin/briefing.mjs start": ${script}`,
    );
  return words.slice(1, bin);
}

export interface RssSample {
  atMs: number;
  bytes: number;
}

export interface BotProcess {
  readonly pid: number;
  /** VmRSS samples so far, oldest first. */
  readonly samples: readonly RssSample[];
  /** Resolves with the first log line (stderr) matching `pattern`, seen before or after the call. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Log lines (stderr) that match, for reports and errors. */
  linesMatching(pattern: RegExp): string[];
  /** The lifetime peak (VmHWM), including start-up and the priming round. */
  peakBytes(): number | undefined;
  /** SIGTERM, then waits for the exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/** `nodeFlags` defaults to the start script's. */
export function startBot(options: {
  configDir: string;
  env: Record<string, string>;
  nodeFlags?: string[];
}): BotProcess {
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? startFlags()), BIN, 'start', '--config', options.configDir],
    {
      // The config folder as working directory: a developer's .env must not change what is measured.
      cwd: options.configDir,
      env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'text', NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const pid = child.pid ?? -1;
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stderr! }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let alive = true;
  void exited.then(() => {
    alive = false;
    for (const w of waiters) w();
  });

  const samples: RssSample[] = [];
  const sample = () => {
    const bytes = procStatusBytes(pid, 'VmRSS');
    if (bytes !== undefined) samples.push({ atMs: performance.now(), bytes });
  };
  const timer = setInterval(sample, 250);

  return {
    pid,
    samples,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find((l) => pattern.test(l));
          if (found !== undefined || !alive) {
            clearTimeout(timeout);
            waiters.delete(check);
            if (found !== undefined) resolve(found);
            else
              reject(
                new Error(
                  `the bot exited before logging ${pattern}; last lines:\n${lines.slice(-15).join('\n')}`,
                ),
              );
          }
        };
        const timeout = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no log line ${pattern} within ${timeoutMs / 1000} s; last lines:\n${lines.slice(-15).join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    linesMatching: (pattern) => lines.filter((l) => pattern.test(l)),
    peakBytes: () => procStatusBytes(pid, 'VmHWM'),
    async stop() {
      clearInterval(timer);
      if (!alive) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(kill);
    },
  };
}
