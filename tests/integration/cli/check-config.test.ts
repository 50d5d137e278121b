/**
 * `briefing check-config` as an operator runs it: the real CLI in a child process on a config
 * directory of its own.
 */
import { runBriefing } from '../../support/cli-once';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';

describe('briefing check-config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'briefing-check-config-'));
    await copyFile('config/feeds.yaml', join(dir, 'feeds.yaml'));
    await writeFile(
      join(dir, 'topics.yaml'),
      [
        'topics:',
        '  - id: un-water',
        '    name: UN water',
        '    query: UN and water or climate',
        '  - id: fine',
        '    name: Fine',
        '    query: UN AND water',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('warns about lower-case and/or in a topic, which are silently words otherwise, and still passes', async ({
    expect,
  }) => {
    const run = await runBriefing(['--config', dir, 'check-config'], { LOG_LEVEL: 'info' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^config OK: /);
    expect(run.stderr).toContain(
      'topics.yaml topics[0].query (un-water): "and" is a word to find here, not an operator',
    );
    expect(run.stderr).toContain('topics.yaml topics[0].query (un-water): "or" is a word');
    expect(run.stderr).toContain('  UN and water or climate\n     ^');
    expect(run.stderr).not.toContain('(fine)');
  });
});
