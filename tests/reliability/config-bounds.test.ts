/**
 * Validated config that crashes: `interval: 100000000d` passed `check-config`, then stopped the
 * running bot on reload with "RangeError: Invalid time value". Every numeric setting now has a
 * ceiling, and whatever `check-config` accepts — each setting at its largest — `start` and
 * `poll --once` run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitWithin, runCli } from '../support/reliability/child-cli';

const FIXTURE = fileURLToPath(new URL('../fixtures/feeds/trend-central-asia.rss', import.meta.url));
const feedsYaml = (interval: string, backfill = 0) =>
  `feeds:\n  - id: trend\n    url: ${FIXTURE}\n    interval: ${interval}\n    backfill: ${backfill}\n`;

/** Every numeric variable at the largest value check-config accepts. */
const LARGEST_ENV = {
  STORE_TIMEOUT_SECONDS: '600',
  ARCHIVE_DAYS: '3650',
  FETCH_CONCURRENCY: '256',
  FETCH_TIMEOUT_SECONDS: '300',
  FETCH_MAX_MB: '100',
};

let dir: string;
let env: Record<string, string>;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-bounds-'));
  await writeFile(join(dir, 'topics.yaml'), 'topics: []\n');
  env = { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}` };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function checkConfig(extraEnv: Record<string, string> = {}) {
  const run = runCli(['check-config', '--config', dir], { ...env, ...extraEnv }, { cwd: dir });
  return { exit: await exitWithin(run, 20_000), run };
}

describe('numeric settings have a ceiling', () => {
  it.each([
    ['100000000d', /^feeds\.yaml:4 feeds\[0\]\.interval: must be at most 7d$/m],
    ['99999999999999999999999d', /^feeds\.yaml:4 feeds\[0\]\.interval: must be at most 7d$/m],
    ['8d', /^feeds\.yaml:4 feeds\[0\]\.interval: must be at most 7d$/m],
  ])('check-config refuses interval %s with exit 2 and the line', async (interval, says) => {
    await writeFile(join(dir, 'feeds.yaml'), feedsYaml(interval));
    const { exit, run } = await checkConfig();
    expect(exit.code, run.output()).toBe(2);
    expect(run.stderr().replaceAll(`${dir}/`, '')).toMatch(says);
  });

  it.each([
    ['ARCHIVE_DAYS', '99999', /ARCHIVE_DAYS: Too big/],
    ['FETCH_CONCURRENCY', '0x10', /FETCH_CONCURRENCY: expected a whole number/],
    ['FETCH_MAX_MB', '1e3', /FETCH_MAX_MB: expected a decimal number/],
    ['STORE_TIMEOUT_SECONDS', ' ', /STORE_TIMEOUT_SECONDS: expected a decimal number/],
  ])('check-config refuses %s=%j with exit 2', async (name, value, says) => {
    await writeFile(join(dir, 'feeds.yaml'), feedsYaml('10m'));
    const { exit, run } = await checkConfig({ [name]: value });
    expect(exit.code, run.output()).toBe(2);
    expect(run.stderr()).toMatch(says);
  });
});

describe('a YAML syntax error names its line, like every other config error', () => {
  it.each([
    ['an item out of line', 'feeds:\n  - id: a\n   url: x\n', /^feeds\.yaml:3: invalid YAML: /m],
    ['a tab for indentation', 'feeds:\n  - id: a\n\turl: x\n', /^feeds\.yaml:3: invalid YAML: /m],
    ['an unclosed bracket', 'feeds: [\n  {id: a}\n', /^feeds\.yaml:3: invalid YAML: /m],
  ])('%s', async (_name, text, says) => {
    await writeFile(join(dir, 'feeds.yaml'), text);
    const { exit, run } = await checkConfig();
    expect(exit.code, run.output()).toBe(2);
    expect(run.stderr().replaceAll(`${dir}/`, '')).toMatch(says);
  });
});

describe('whatever check-config accepts, the bot runs', () => {
  it('poll --once with every numeric setting at its largest delivers and exits 0', async () => {
    await writeFile(join(dir, 'feeds.yaml'), feedsYaml('7d', 50));
    expect((await checkConfig(LARGEST_ENV)).exit.code).toBe(0);
    const run = runCli(
      ['poll', '--once', '--config', dir],
      { ...env, ...LARGEST_ENV },
      { cwd: dir },
    );
    const exit = await exitWithin(run, 30_000);
    expect(exit.code, run.output()).toBe(0);
    expect(run.stdout()).toMatch(/Trend/);
  });

  it('start keeps running, on the last good config, when an edit sets interval: 100000000d', async () => {
    await writeFile(join(dir, 'feeds.yaml'), feedsYaml('7d'));
    const run = runCli(['start', '--config', dir], env, { cwd: dir });
    try {
      await run.waitForOutput('watching 1 feed');
      await writeFile(join(dir, 'feeds.yaml'), feedsYaml('100000000d'));
      await run.waitForOutput('config not reloaded, keeping the last good version');
      expect(run.output()).toContain('interval: must be at most 7d');
    } finally {
      run.kill('SIGTERM');
    }
    const exit = await exitWithin(run, 20_000);
    expect(exit.code, run.output()).toBe(0);
    expect(run.output()).not.toMatch(/RangeError|Invalid time value/);
  });
});
