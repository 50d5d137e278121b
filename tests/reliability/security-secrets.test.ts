/**
 * Secrets never reach the terminal: the real CLI, started with a store it cannot reach or a token
 * Discord refuses, fails with a clear message and exit 1 — and neither the token nor the store
 * URL's password appears in its output, even with stack traces (--verbose) or JSON logs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUILDS, TOKEN } from '../support/bot-harness';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord';
import { exitWithin, runCli } from '../support/reliability/child-cli';

const PASSWORD = 's3cretPass';
const WRONG_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAy.wrong-token-that-must-stay-secret';

let dir: string;
let fake: FakeDiscord;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-secrets-'));
  await writeFile(join(dir, 'feeds.yaml'), 'feeds: []\n');
  await writeFile(join(dir, 'topics.yaml'), 'topics: []\n');
  fake = await startFakeDiscord({ guilds: GUILDS, token: TOKEN });
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

interface Case {
  name: string;
  args: string[];
  env: () => Record<string, string>;
  /** The clear error the operator reads instead. */
  says: RegExp;
  secrets: string[];
}

const cases: Case[] = [
  {
    name: 'start with an unreachable Redis whose URL holds a password',
    args: ['start'],
    env: () => ({ STORE_URL: `redis://:${PASSWORD}@127.0.0.1:1/`, DISCORD_TOKEN: TOKEN }),
    says: /^Store read failed \(redis:\/\/:\*\*\*@127\.0\.0\.1:1\/\): connect ECONNREFUSED 127\.0\.0\.1:1$/m,
    secrets: [PASSWORD, TOKEN],
  },
  {
    name: 'poll --once --verbose with JSON logs and the same Redis',
    args: ['poll', '--once', '--verbose'],
    env: () => ({
      STORE_URL: `redis://:${PASSWORD}@127.0.0.1:1/`,
      DISCORD_TOKEN: TOKEN,
      LOG_FORMAT: 'json',
    }),
    says: /^StoreError: Store read failed \(redis:\/\/:\*\*\*@127\.0\.0\.1:1\/\)/m,
    secrets: [PASSWORD, TOKEN],
  },
  {
    name: 'start --verbose with an unreachable PostgreSQL whose URL holds a password',
    args: ['start', '--verbose'],
    env: () => ({
      STORE_URL: `postgres://briefing:${PASSWORD}@127.0.0.1:1/db`,
      DISCORD_TOKEN: TOKEN,
    }),
    says: /^Store read failed \(postgres:\/\/briefing:\*\*\*@127\.0\.0\.1:1\/db\): connect ECONNREFUSED/m,
    secrets: [PASSWORD, TOKEN],
  },
  {
    name: 'start with a token Discord refuses',
    args: ['start', '--verbose'],
    env: () => ({
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
      DISCORD_TOKEN: WRONG_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
    }),
    says: /invalid token|401|Unauthorized|Authentication failed/i,
    secrets: [WRONG_TOKEN, WRONG_TOKEN.split('.')[1]!],
  },
];

describe('secrets in failures', () => {
  // A Redis that cannot be reached takes its 5 s connection timeout to give up.
  it.each(cases)(
    '$name: a clear error, exit 1, and no secret in the output',
    async ({ args, env, says, secrets }) => {
      const run = runCli([...args, '--config', dir], env(), { cwd: dir });
      const exit = await exitWithin(run, 20_000);
      expect(exit.code, run.output()).toBe(1);
      expect(run.output()).toMatch(says);
      for (const secret of secrets) expect(run.output()).not.toContain(secret);
    },
  );
});
