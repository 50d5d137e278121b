import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTopics, topicsPath } from '../../../src/config/catalog';
import { watchConfigFiles } from '../../../src/config/watch';
import { createLogger } from '../../../src/log';
import { compileTopics } from '../../../src/topics/compile';
import type { TopicsFile } from '../../../src/topics/schema';

const topicsYaml = (query: string) =>
  `groups:\n  ca: [Kazakhstan, Казахстан]\ntopics:\n  - id: ca\n    name: Central Asia\n    query: ${JSON.stringify(query)}\n`;

/** Resolves on the next call: the watcher reports through callbacks, so tests wait on them. */
function nextCall<T>(): { promise: Promise<T>; call: (v: T) => void } {
  let call!: (v: T) => void;
  const promise = new Promise<T>((resolve) => (call = resolve));
  return { promise, call };
}

describe('config/topics.yaml is reloaded without a restart', () => {
  let dir: string;
  let close: () => Promise<void>;
  let applied: ReturnType<typeof nextCall<TopicsFile>>;
  let logged: ReturnType<typeof nextCall<string>>;
  let current: TopicsFile;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'briefing-reload-'));
    await writeFile(topicsPath(dir), topicsYaml('@ca'));
    current = await loadTopics(dir);
    applied = nextCall();
    logged = nextCall();
    const logger = createLogger({ level: 'info', write: (line) => logged.call(line) });
    const watcher = watchConfigFiles(
      [
        {
          path: topicsPath(dir),
          load: () => loadTopics(dir),
          apply: (t: TopicsFile) => {
            compileTopics(t.topics, t.groups);
            current = t;
            applied.call(t);
          },
        },
      ],
      logger,
    );
    close = watcher.close;
    await watcher.ready;
  });

  afterEach(async () => {
    await close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a valid edit takes effect', async () => {
    await writeFile(topicsPath(dir), topicsYaml('@ca AND UN'));
    const topics = await applied.promise;
    expect(topics.topics[0]!.query).toBe('@ca AND UN');
    expect(await logged.promise).toMatch(/config reloaded/);
  });

  it('an invalid edit keeps the last good topics and logs the file, the line and a caret', async () => {
    await writeFile(topicsPath(dir), topicsYaml('@ca AND (UN'));
    const line = await logged.promise;
    expect(line).toMatch(/config not reloaded, keeping the last good version/);
    expect(line).toContain(`${topicsPath(dir)}:6 topics[0].query`);
    expect(line).toMatch(/\n\s+\^/);
    expect(current.topics[0]!.query).toBe('@ca');
  });
});
