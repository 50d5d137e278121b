/**
 * Config files built to exhaust the bot — a YAML alias bomb ("billion laughs"), a file over the
 * 1 MB limit, nesting deep enough to overflow a recursive parser — are refused by
 * `briefing check-config` (the real CLI) with exit 2 and a message naming the file, quickly and
 * without the process running out of memory.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitWithin, runCli } from '../support/reliability/child-cli';

/** Nine levels of nine aliases each: 387 420 489 strings once expanded. */
function billionLaughs(): string {
  const lines = [
    'groups:',
    '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++)
    lines.push(
      `  ${names[i]}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\ntopics: []\n`;
}

const FEEDS_OK = 'feeds: []\n';
const TOPICS_OK = 'groups: {}\ntopics: []\n';

const cases = [
  {
    name: 'an alias bomb in topics.yaml',
    feeds: FEEDS_OK,
    topics: billionLaughs(),
    says: /^topics\.yaml: refused: Excessive alias count indicates a resource exhaustion attack$/m,
  },
  {
    name: 'a feeds.yaml over 1 MB',
    feeds: `feeds:\n${Array.from({ length: 20_000 }, (_, i) => `  - { id: feed-${i}, url: "https://example.org/${i}/feed.xml" }`).join('\n')}\n`,
    topics: TOPICS_OK,
    says: /^feeds\.yaml: file is \d{7} bytes; the limit is 1048576$/m,
  },
  {
    name: 'nesting 50 000 levels deep',
    feeds: FEEDS_OK,
    topics: `topics: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
    says: /^topics\.yaml:1: invalid YAML: /m,
  },
];

let root: string;
beforeAll(async () => (root = await mkdtemp(join(tmpdir(), 'briefing-config-'))));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('briefing check-config with hostile files', () => {
  it.each(cases.map((c, i) => ({ ...c, i })))(
    'refuses $name with exit 2 and a clear error',
    async ({ feeds, topics, says, i }) => {
      const dir = join(root, String(i));
      await mkdir(dir);
      await writeFile(join(dir, 'feeds.yaml'), feeds);
      await writeFile(join(dir, 'topics.yaml'), topics);
      const run = runCli(
        ['check-config', '--config', dir],
        { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}` },
        { cwd: dir },
      );
      const exit = await exitWithin(run, 20_000);
      expect(exit.code, run.output()).toBe(2);
      expect(run.stderr()).toMatch(/^Configuration error:\n/);
      expect(run.stderr().replaceAll(`${dir}/`, '')).toMatch(says);
      expect(run.stdout()).toBe('');
    },
  );
});
