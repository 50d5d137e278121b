/**
 * One huge field costs a gigabyte: an item whose description (or body, or title) is ~7.6 MB of
 * ordinary words — under the 10 MB fetch cap — took `briefing match URL` to ~500 MB–1 GB
 * resident, because the whole text was converted, tokenised and matched. Fields are now clipped
 * to a news item's size first (src/feeds/clip.ts), so the cost of any document within
 * FETCH_MAX_MB is bounded. The bound asserted here is stated in docs/performance.md.
 *
 * Peak RSS is the child's own VmHWM, written at exit by a preloaded module; Linux only.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { BIN } from '../support/reliability/child-cli';

/** The peak resident memory `briefing match` may reach on any document within FETCH_MAX_MB. */
const PEAK_RSS_BOUND_MB = 200;
const FIELD_BYTES = 7.6 * 1024 * 1024;
const REPORTER = fileURLToPath(
  new URL('../support/reliability/report-peak-rss.mjs', import.meta.url),
);
const TOPICS = fileURLToPath(new URL('../../config/topics.yaml', import.meta.url));

/** Ordinary news words, repeated: what a runaway CMS export or a hostile publisher would serve. */
function words(bytes: number): string {
  const vocabulary =
    'officials in Astana said the regional water talks would resume after the border ' +
    'commission met in Bishkek and the ministers agreed on a joint statement.';
  return vocabulary.repeat(Math.ceil(bytes / vocabulary.length)).slice(0, bytes);
}

function feedWith(field: 'description' | 'content' | 'title', text: string): string {
  const item = {
    description: `<title>Ordinary headline</title><description>${text}</description>`,
    content: `<title>Ordinary headline</title><description>Short.</description><content:encoded>${text}</content:encoded>`,
    title: `<title>${text}</title><description>Short.</description>`,
  }[field];
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Huge field</title><link>https://example.org/</link>
<item>${item}<link>https://example.org/huge</link><guid>huge-1</guid></item>
</channel></rss>`;
}

let server: FeedServer;
let dir: string;
const text = words(FIELD_BYTES);
beforeAll(async () => {
  server = await startFeedServer({});
  for (const field of ['description', 'content', 'title'] as const)
    server.setRoute(`/${field}.rss`, { body: feedWith(field, text) });
  dir = await mkdtemp(join(tmpdir(), 'briefing-huge-field-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync('/proc/self/status'))('one huge field', () => {
  it.each(['description', 'content', 'title'] as const)(
    'a 7.6 MB %s does not cost a gigabyte: briefing match stays under the stated peak RSS',
    async (field) => {
      const peakFile = join(dir, `${field}.peak`);
      const child = spawn(
        process.execPath,
        [
          '--import',
          REPORTER,
          BIN,
          'match',
          server.url(`/${field}.rss`),
          '--topics',
          TOPICS,
          '--json',
        ],
        {
          cwd: dir,
          env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', PEAK_RSS_FILE: peakFile },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c));
      child.stderr.on('data', (c: Buffer) => (err += c));
      const [code] = await once(child, 'close');
      expect(code, err).toBe(0);
      // The item is still read (and clipped), not dropped.
      const record = JSON.parse(out.trim()) as { title: string; summary: string };
      expect(record.title.length).toBeLessThan(1_100);
      expect(`${record.title} ${record.summary}`).toMatch(/Astana|headline/);
      const peakMb = Number(await readFile(peakFile, 'utf8')) / 1024;
      expect(peakMb).toBeGreaterThan(0);
      expect(peakMb).toBeLessThan(PEAK_RSS_BOUND_MB);
    },
  );
});
