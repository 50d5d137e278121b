/**
 * The real app (console mode) with its worker loop on short timings and a manual clock, whose log
 * lines and printed briefings can be waited for: tests of the long-running path wait for what
 * the bot says and prints, never for time to pass.
 */
import { EventEmitter } from 'node:events';
import { createLogger } from '../../../src/log';
import type { App } from '../../../src/app';
import { AppHarness, type HarnessFeed } from '../app-harness';

export interface WatchedApp {
  readonly app: App;
  readonly harness: AppHarness;
  readonly lines: string[];
  /** Titles printed so far, in order. */
  titles(): string[];
  advance(ms: number): void;
  /** Resolves once `probe` holds; fails after `timeoutMs` naming `what`. */
  until(probe: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

export async function openWatchedApp(
  feeds: HarnessFeed[],
  env: Record<string, string>,
  start: number,
): Promise<WatchedApp> {
  const harness = await AppHarness.create(feeds);
  const changes = new EventEmitter();
  const lines: string[] = [];
  let at = start;
  const app = await harness.open(
    {
      clock: () => new Date(at),
      logger: createLogger({
        level: 'debug',
        write: (line) => (lines.push(line), changes.emit('change')),
      }),
      output: {
        json: true,
        color: false,
        write: (text) => (harness.printed.push(text), changes.emit('change')),
      },
      onOutcome: (outcome) => (harness.outcomes.push(outcome), changes.emit('change')),
      workerTiming: { tickMs: 20, storePauseMs: 100 },
    },
    env,
  );
  return {
    app,
    harness,
    lines,
    titles: () => harness.briefings().map((b) => b.item.title),
    advance: (ms) => void (at += ms),
    until(probe, what, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!probe()) return;
          done();
          resolve();
        };
        const timer = setTimeout(
          () => (
            done(),
            reject(new Error(`timed out waiting for ${what}:\n${lines.slice(-10).join('\n')}`))
          ),
          timeoutMs,
        );
        const done = () => {
          clearTimeout(timer);
          changes.off('change', check);
        };
        changes.on('change', check);
        check();
      });
    },
    dispose: () => harness.dispose(),
  };
}
