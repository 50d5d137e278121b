/**
 * `briefing query` inputs that used to be read as something else: `--since 2026-02-30` became
 * 2 March, `--limit 0x10` became 16, and `--topic nosuch` answered "0 of 0" as if the topic
 * existed. Each is now refused with exit 2 and a message that says what was wrong — for an
 * unknown id, which known ids it is probably a typo of. The real CLI, the repository's config/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitWithin, runCli } from '../support/reliability/child-cli';

const CONFIG = resolve('config');
let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'briefing-query-inputs-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function query(...args: string[]) {
  const run = runCli(
    ['query', '--config', CONFIG, ...args],
    { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}` },
    { cwd: dir },
  );
  return { exit: await exitWithin(run, 20_000), run };
}

describe('briefing query refuses what it would misread', () => {
  it.each([
    [
      ['--since', '2026-02-30'],
      /^--since expects a duration like 7d or a date like 2026-11-01, not "2026-02-30"$/m,
    ],
    [['--until', '2026-13-01'], /^--until expects .* not "2026-13-01"$/m],
    [['--since', '999999999999d'], /^--since expects .* not "999999999999d"$/m],
    [['--limit', '0x10'], /^--limit expects a whole number from 1 to 50, not "0x10"$/m],
    [['--limit', '1e1'], /^--limit expects a whole number from 1 to 50, not "1e1"$/m],
    [['--limit', '0'], /limit must be from 1 to 50/],
    [
      ['--topic', 'un-ct-central-asa'],
      /^no such topic "un-ct-central-asa" — did you mean "un-ct-central-asia"\?$/m,
    ],
    [['--topic', 'nosuch'], /^no such topic "nosuch"; known topics: un-ct-central-asia\.$/m],
    [['--feed', 'trend'], /^no such feed "trend" — did you mean "trend-central-asia"\?$/m],
    [
      ['--feed', 'eurasianet', '--feed', 'nosuch'],
      /^no such feed "nosuch"; known feeds: .*eurasianet/m,
    ],
  ])('%j: exit 2 and says why', async (args, says) => {
    const { exit, run } = await query(...args);
    expect(exit.code, run.output()).toBe(2);
    expect(run.stderr()).toMatch(says);
    expect(run.stdout()).toBe('');
  });

  it('a known topic with nothing archived is an ordinary empty answer', async () => {
    const { exit, run } = await query('--topic', 'un-ct-central-asia', '--since', '2026-02-28');
    expect(exit.code, run.output()).toBe(0);
    expect(run.stderr()).toMatch(/^0 stories from 0 items$/m);
  });
});
