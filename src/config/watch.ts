import { watch, type FSWatcher } from 'chokidar';
import { basename } from 'node:path';
import { ConfigError } from '../errors';
import type { Logger } from '../log';

export interface WatchedFile<T> {
  path: string;
  load: (path: string) => Promise<T>;
  apply: (value: T) => void;
}

/**
 * Reloads config files when they change. A valid edit is applied within about a second; an
 * invalid one is reported and the last good version stays in force, so a typo never stops the bot.
 */
export function watchConfigFiles(
  // biome-ignore lint/suspicious/noExplicitAny: each file has its own value type; the list mixes them
  files: Array<WatchedFile<any>>,
  logger: Logger,
): { ready: Promise<void>; close(): Promise<void> } {
  const timers = new Map<string, NodeJS.Timeout>();
  // Editors save by rename or in several writes; a short quiet period reads the final file once.
  const QUIET_MS = 250;
  const reload = (file: WatchedFile<unknown>) => {
    clearTimeout(timers.get(file.path));
    timers.set(
      file.path,
      setTimeout(async () => {
        try {
          file.apply(await file.load(file.path));
          logger.info('config reloaded', { file: file.path });
        } catch (err) {
          const detail = err instanceof ConfigError ? err.message : (err as Error).message;
          logger.error(`config not reloaded, keeping the last good version:\n${detail}`, {
            file: file.path,
          });
        }
      }, QUIET_MS),
    );
  };
  const watchers: FSWatcher[] = files.map((file) =>
    watch(file.path, { ignoreInitial: true, awaitWriteFinish: false })
      .on('change', () => reload(file))
      .on('add', () => reload(file))
      .on('error', (err) =>
        logger.warn('cannot watch config file', { file: basename(file.path), error: err }),
      ),
  );
  return {
    /** Resolves once every file is being watched: edits before that may go unnoticed. */
    ready: Promise.all(
      watchers.map((w) => new Promise<void>((r) => w.once('ready', () => r()))),
    ).then(() => {}),
    async close() {
      for (const t of timers.values()) clearTimeout(t);
      await Promise.all(watchers.map((w) => w.close()));
    },
  };
}
