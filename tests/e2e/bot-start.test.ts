import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayOpcodes } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/kv';
import { createGuildCatalogRepo } from '../../src/store/guild-catalog';
import { GUILD, GUILDS, TOKEN } from '../support/bot-harness';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord';

const BIN = fileURLToPath(new URL('../../bin/briefing.mjs', import.meta.url));

let fake: FakeDiscord | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
  dir = undefined;
});

describe('briefing start with DISCORD_TOKEN', () => {
  it('connects the bot and the worker in one process, and stops cleanly on SIGTERM', async () => {
    fake = await startFakeDiscord({ guilds: GUILDS, token: TOKEN });
    dir = await mkdtemp(join(tmpdir(), 'briefing-start-'));
    await writeFile(join(dir, 'feeds.yaml'), 'feeds: []\n');
    await writeFile(
      join(dir, 'topics.yaml'),
      'topics: [{ id: energy, name: Energy, query: gas }]\n',
    );
    // A feed a server added earlier: polled (and counted) with the operator's, which are none here.
    const storeUrl = `sqlite://${join(dir, 'store.sqlite')}`;
    const kv = await openStore(storeUrl);
    await createGuildCatalogRepo(kv).putFeed(GUILD, {
      id: 'local',
      url: 'https://local-news.invalid/rss',
      name: 'Local',
      addedBy: '1',
      addedAt: new Date().toISOString(),
    });
    await kv.close();
    const child = spawn(process.execPath, [BIN, 'start', '--config', dir], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_URL: fake.apiUrl,
        STORE_URL: storeUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = once(child, 'exit');

    const [identify] = await fake.gateway.waitForOp(GatewayOpcodes.Identify, 1, 15_000);
    expect(identify?.d).toMatchObject({ token: TOKEN, intents: 1 });
    await new Promise<void>((resolve) => {
      const check = () =>
        log.includes('connected to Discord') && (child.stderr.off('data', check), resolve());
      child.stderr.on('data', check);
      check();
    });
    // The first round ends when the server's feed has reported (it cannot be reached here).
    await new Promise<void>((resolve) => {
      const check = () =>
        log.includes('watching 1 feed;') && (child.stderr.off('data', check), resolve());
      child.stderr.on('data', check);
      check();
    });
    child.kill('SIGTERM');
    const [code] = await exited;

    expect(code).toBe(0);
    expect(log).toContain(
      'started in Discord mode: 0 feeds (+1 added in servers), 1 topic (energy)',
    );
    expect(log).toContain('stopped');
    expect(log).not.toContain(TOKEN);
    // Commands are registered by deploy-commands, never at start.
    expect(fake.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });
});
