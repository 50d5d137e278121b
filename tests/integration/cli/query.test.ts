/**
 * `briefing query` and `briefing topic test` as a user runs them: the real CLI in a child process,
 * over an SQLite archive filled through the repositories with the seed feed, the default topic
 * and the repository's config/ for names.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadTopics } from '../../../src/config/catalog';
import { normalizeFeed } from '../../../src/feeds/normalize';
import { parseFeed } from '../../../src/feeds/parse';
import { createArchiveRepo } from '../../../src/store/archive';
import { openStore } from '../../../src/store/kv';
import { compileTopics } from '../../../src/topics/compile';
import { runBriefing } from '../../support/cli-once';

const FEED = 'tests/fixtures/feeds/trend-central-asia.rss';
const RANGE = ['--since', '2021-10-01', '--until', '2021-10-16'];

// Each run starts a Node process: the cases run side by side.
describe.concurrent('the query commands', () => {
  let dir: string;
  let titles: string[];
  const cli = (...args: string[]) =>
    runBriefing(args, { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`, ARCHIVE_DAYS: '3650' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'briefing-cli-query-'));
    const kv = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
    const topics = await loadTopics('config');
    const raw = await parseFeed(await readFile(FEED, 'utf8'), FEED);
    const items = normalizeFeed(raw, {
      feedId: 'trend-central-asia',
      fetchedAt: new Date('2021-10-15T12:00:00Z'),
      url: 'https://en.trend.az/feeds/centralasia.rss',
    });
    titles = items.map((i) => i.title);
    const matcher = compileTopics(topics.topics, topics.groups);
    await createArchiveRepo(kv, { retentionMs: 3650 * 86_400_000 }).put(
      items.map((item) => ({ item, matches: matcher.match(item) })),
    );
    await kv.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--items prints a page newest first, then the count and the cursor that continues it', async ({
    expect,
  }) => {
    const first = await cli('query', ...RANGE, '--limit', '2', '--items');
    expect(first.code).toBe(0);
    const printed = titles.filter((t) => first.stdout.includes(t));
    expect(printed).toEqual([titles[3], titles[4]]);
    expect(first.stdout.indexOf(titles[4]!)).toBeLessThan(first.stdout.indexOf(titles[3]!));
    expect(first.stdout).toContain('Trend — Central Asia');
    const cursor = /^2 of 5; next page: --cursor (\S+)$/m.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();

    const rest = await cli('query', ...RANGE, '--limit', '10', '--cursor', cursor!, '--items');
    expect(rest.code).toBe(0);
    expect(titles.filter((t) => rest.stdout.includes(t))).toEqual(titles.slice(0, 3));
    expect(rest.stderr).toMatch(/^3 of 5$/m);
  });

  it('--items --json prints one JSON object per item, filtered by topic and by words', async ({
    expect,
  }) => {
    const byTopic = await cli(
      'query',
      ...RANGE,
      '--topic',
      'un-ct-central-asia',
      '--json',
      '--items',
    );
    expect(byTopic.code).toBe(0);
    const records = byTopic.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.item.title)).toEqual([titles[3], titles[0]]);
    expect(records[0].topics[0]).toMatchObject({
      id: 'un-ct-central-asia',
      name: 'UN counter-terrorism in Central Asia',
    });

    const byText = await cli(
      'query',
      ...RANGE,
      '--text',
      'Kazakhstan corridor',
      '--json',
      '--items',
    );
    expect(
      byText.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).item.title),
    ).toEqual([titles[1]]);
  });

  it.for<[string, string[], RegExp]>([
    ['an unreadable --since', ['--since', 'yesterday'], /--since expects a duration like 7d/],
    ['a limit out of range', [...RANGE, '--limit', '0'], /limit must be from 1 to 50/],
    [
      'an unclosed quote',
      [...RANGE, '--text', '"UN office'],
      /Cannot read the search text at character 1: Unclosed quote/,
    ],
  ])('exits 2 with a one-line message for %s', async ([, args, message], { expect }) => {
    const run = await cli('query', ...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  it('topic test says what a topic would have matched, best first', async ({ expect }) => {
    const run = await cli('topic', 'test', 'un-ct-central-asia', '--since', '2021-10-01');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^UN counter-terrorism in Central Asia: would have matched 2 of 5 items since 2021-10-01T00:00:00.000Z$/m,
    );
    expect(run.stdout.indexOf(titles[0]!)).toBeLessThan(run.stdout.indexOf(titles[3]!));
    expect(run.stdout).toContain('Kyrgyzstan · UNODC');
    // The items it nearly matched come with every clause of the query, and which one failed.
    expect(run.stdout).toMatch(
      /· not matched\n {10}✗ \(@un_ct OR @un NEAR\/paragraph @counter_terrorism OR @un @returnees\)/,
    );
    expect(run.stdout).toMatch(/^ {14}✗ @un_ct: not found$/m);
  });

  it('topic test takes a query, and refuses one that does not parse', async ({ expect }) => {
    const adHoc = await cli(
      'topic',
      'test',
      'Kazakhstan OR Tajikistan',
      '--since',
      '2021-10-01',
      '--json',
    );
    expect(adHoc.code).toBe(0);
    const result = JSON.parse(adHoc.stdout);
    expect(result).toMatchObject({
      scanned: 5,
      matched: 2,
      topic: { id: 'ad-hoc', query: 'Kazakhstan OR Tajikistan' },
    });
    expect(result.best.map((b: { title: string }) => b.title)).toEqual([titles[1], titles[4]]);

    const bad = await cli('topic', 'test', 'Kazakhstan OR', '--since', '2021-10-01');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Expected a term.*\n\s+Kazakhstan OR\n\s+\^/);
  });

  // The longest query is refused before any nesting is read: one run; other shapes are unit-tested.
  it('topic test refuses 6,000 nested brackets with exit 2 and a caret, not a stack overflow', async ({
    expect,
  }) => {
    const query = `${'('.repeat(6000)}UN${')'.repeat(6000)}`;
    const run = await cli('topic', 'test', query, '--since', '2021-10-01');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/at most 4000 characters/);
    expect(run.stderr).not.toMatch(/call stack/);
    expect(run.stderr).toMatch(/\n {2}.+\n +\^\n$/);
  });

  it('topic test refuses a topic id that names no topic instead of running it as a word query', async ({
    expect,
  }) => {
    const [typo, unknown] = await Promise.all(
      ['un-ct-central-asa', 'nosuch-topic'].map((target) =>
        cli('topic', 'test', target, '--since', '2021-10-01'),
      ),
    );
    expect(typo!.code).toBe(2);
    expect(typo!.stderr).toContain(
      'No such topic "un-ct-central-asa" — did you mean un-ct-central-asia?',
    );
    expect(unknown!.code).toBe(2);
    expect(unknown!.stderr).toContain(`put it in quotes: '"nosuch-topic"'`);
  });
});
