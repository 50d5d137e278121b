/**
 * A store that cannot be used says why. Redis connection errors all read "client is not
 * connected" — a wrong password, a database index Redis does not have and a closed port now each
 * read as what they are, so the operator knows what to fix. And a PostgreSQL URL whose port
 * accepts connections but never answers gave up "after 3 s" and then kept the process running
 * for 10: once the timeout is reported, no new connection attempt is started. The real CLI.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitWithin, runCli } from '../support/reliability/child-cli';
import { backends, REDIS_URL, reachable, servicesRequired } from '../support/stores';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-store-connect-'));
  await writeFile(join(dir, 'feeds.yaml'), 'feeds: []\n');
  await writeFile(join(dir, 'topics.yaml'), 'topics: []\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function query(env: Record<string, string>) {
  const run = runCli(['query', '--config', dir], env, { cwd: dir });
  return { exit: await exitWithin(run, 30_000), run };
}

const redisUp = await reachable(backends.find((b) => b.name === 'redis')!);
if (!redisUp && !servicesRequired)
  console.warn('[store connect failures] Redis is not reachable: its cases are skipped');

describe.skipIf(!redisUp && !servicesRequired)('a Redis connection that fails says why', () => {
  const redis = new URL(REDIS_URL);
  const at = (auth: string, port: string, db: string) =>
    `redis://${auth}${redis.hostname}:${port}/${db}`;
  it.each([
    [
      'a wrong password',
      at(':not-the-password@', redis.port || '6379', '0'),
      /: (WRONGPASS|ERR AUTH)/,
    ],
    [
      'a database index Redis does not have',
      at('', redis.port || '6379', '99'),
      /: ERR DB index is out of range$/m,
    ],
    ['a closed port', at('', '1', '0'), /: connect ECONNREFUSED 127\.0\.0\.1:1$/m],
  ])('%s', async (_name, url, says) => {
    const { exit, run } = await query({ STORE_URL: url });
    expect(exit.code, run.output()).toBe(1);
    expect(run.stderr()).toMatch(/^Store read failed \(redis:\/\//m);
    expect(run.stderr()).toMatch(says);
    expect(run.stderr()).not.toMatch(/client is not connected/);
    expect(run.output()).not.toContain('not-the-password');
  });
});

describe('a PostgreSQL port that accepts connections and never answers', () => {
  let server: Server;
  /** Every connection the store made, in order, with what stderr held when it arrived. */
  const arrivals: Array<{ socket: Socket; stderrBefore: string }> = [];
  let stderrNow = () => '';
  beforeAll(async () => {
    server = createServer((socket) => arrivals.push({ socket, stderrBefore: stderrNow() }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const { socket } of arrivals) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up when it says it does: no connection attempt starts after the timeout is reported', async () => {
    const port = (server.address() as AddressInfo).port;
    const run = runCli(
      ['query', '--config', dir],
      { STORE_URL: `postgres://briefing:pw@127.0.0.1:${port}/db`, STORE_TIMEOUT_SECONDS: '2' },
      { cwd: dir },
    );
    stderrNow = run.stderr;
    const exit = await exitWithin(run, 30_000);
    expect(exit.code, run.output()).toBe(1);
    expect(run.stderr()).toMatch(/^Store (read|connect) (timed out after 2 s|failed)/m);
    expect(arrivals.length).toBeGreaterThan(0);
    for (const { stderrBefore } of arrivals) expect(stderrBefore).toBe('');
  });
});
