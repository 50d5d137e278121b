import { loadCommands } from '../../main';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createApp, type App, type AppOptions } from '../../src/app';
import { parseEnv } from '../../src/config/env';
import { memoryLogger } from '../../src/log';
import type { GroupOutcome } from '../../src/worker/poll-group';

export interface HarnessFeed {
  id: string;
  url: string;
  name?: string;
  interval?: string;
  backfill?: number;
}

/**
 * A real app on a real SQLite file in a temporary folder, with its own config files: what
 * `npm start` builds, minus the terminal. Reopen it to simulate a restart.
 */
export class AppHarness {
  readonly printed: string[] = [];
  readonly outcomes: GroupOutcome[] = [];
  readonly logger = memoryLogger('debug');
  app?: App;

  private constructor(readonly dir: string) {}

  static async create(
    feeds: HarnessFeed[],
    topicsYaml = 'groups: {}\ntopics: []\n',
  ): Promise<AppHarness> {
    const harness = new AppHarness(await mkdtemp(join(tmpdir(), 'briefing-app-')));
    await harness.writeFeeds(feeds);
    await writeFile(join(harness.dir, 'topics.yaml'), topicsYaml);
    return harness;
  }

  writeFeeds(feeds: HarnessFeed[]): Promise<void> {
    return writeFile(join(this.dir, 'feeds.yaml'), stringify({ feeds }));
  }

  /** JSON briefings printed so far (the console sink in --json mode). */
  briefings(): Array<{ item: { key: string; title: string; link?: string; feedId: string } }> {
    return this.printed
      .flatMap((chunk) => chunk.trim().split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }

  /** Polls every feed once; what it printed (the console's JSON objects) comes back. */
  async pollOnce(): Promise<ReturnType<AppHarness['briefings']>> {
    const before = this.briefings().length;
    await this.app!.worker.pollOnce();
    return this.briefings().slice(before);
  }

  async open(overrides: Partial<AppOptions> = {}, env: Record<string, string> = {}): Promise<App> {
    this.app = await createApp({
      configDir: this.dir,
      env: parseEnv({
        STORE_URL: `sqlite://${join(this.dir, 'store.sqlite')}`,
        FETCH_TIMEOUT_SECONDS: '2',
        ...env,
      }),
      logger: this.logger,
      output: { json: true, color: false, write: (t) => this.printed.push(t) },
      onOutcome: (o) => this.outcomes.push(o),
      loadCommands,
      ...overrides,
    });
    return this.app;
  }

  async close(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  async dispose(): Promise<void> {
    await this.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
