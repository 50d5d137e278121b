/**
 * The token leaks when Discord's (or a REST proxy's) error text echoes the Authorization header:
 * `Unexpected error: 401: Unauthorized, you sent Bot <token>`. Every line the process writes goes
 * through one redactor at the output boundary (src/redact.ts), whatever produced it, so the real
 * CLI — `deploy-commands` and `start`, pointed at a local server that echoes the header back —
 * fails with a clear message and no secret in its output.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitWithin, runCli } from '../support/reliability/child-cli';

/** Shaped like a bot token: base64 of an id, a timestamp part and an HMAC part. */
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJk3L.q8vX2mN5pR7tW0yZ4bC6dF9gH1jK3lM5nP7rS9u';
const HMAC = TOKEN.split('.')[2]!;

type Echo = 'json-401' | 'text-401' | 'json-400';

/** Answers every request with an error whose text quotes the Authorization header it got. */
function echoServer(kind: Echo): Promise<Server> {
  const server = createServer((req, res) => {
    const sent = req.headers.authorization ?? '(none)';
    const status = kind === 'json-400' ? 400 : 401;
    if (kind === 'text-401') {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(`proxy: upstream refused credentials "${sent}"`);
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `Unauthorized, you sent ${sent}`, code: 0 }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let dir: string;
const servers = new Map<Echo, Server>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-token-echo-'));
  await writeFile(join(dir, 'feeds.yaml'), 'feeds: []\n');
  await writeFile(join(dir, 'topics.yaml'), 'topics: []\n');
  for (const kind of ['json-401', 'text-401', 'json-400'] as const)
    servers.set(kind, await echoServer(kind));
});
afterAll(async () => {
  for (const s of servers.values()) await new Promise((r) => s.close(r));
  await rm(dir, { recursive: true, force: true });
});

const apiUrl = (kind: Echo) =>
  `http://127.0.0.1:${(servers.get(kind)!.address() as AddressInfo).port}/api`;

describe('an error text that echoes the Authorization header', () => {
  // `echoed`: the refusal's text quotes the header (discord.js shows a 401's own text only for
  // REST calls; at login it says "An invalid token was provided").
  it.each([
    { command: 'deploy-commands', kind: 'json-401', echoed: true, verbose: false },
    { command: 'deploy-commands', kind: 'json-400', echoed: true, verbose: true },
    { command: 'deploy-commands', kind: 'text-401', echoed: false, verbose: false },
    { command: 'start', kind: 'json-400', echoed: true, verbose: true },
    { command: 'start', kind: 'json-401', echoed: false, verbose: false },
  ] as const)(
    '$command against a server answering $kind: exit 1, and the token is never printed',
    async ({ command, kind, echoed, verbose }) => {
      // --verbose adds stack traces and JSON logs: more places for the echo to travel.
      const run = runCli(
        [command, '--config', dir, ...(verbose ? ['--verbose'] : [])],
        {
          STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
          DISCORD_TOKEN: TOKEN,
          DISCORD_API_URL: apiUrl(kind),
          LOG_FORMAT: verbose ? 'json' : 'text',
        },
        { cwd: dir },
      );
      const exit = await exitWithin(run, 20_000);
      expect(exit.code, run.output()).toBe(1);
      // Where the echo reaches the output it is there, redacted: a leak would be seen.
      if (echoed) expect(run.output()).toMatch(/you sent Bot \[redacted\]/);
      expect(run.output()).not.toContain(TOKEN);
      expect(run.output()).not.toContain(HMAC);
    },
  );
});
