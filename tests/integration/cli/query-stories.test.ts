/**
 * `briefing query` lists stories: the real CLI in a child process over an SQLite store whose
 * archive and story index were filled through the repositories, as the worker fills them. One
 * invented event is carried by three feeds (the same article, linked with and without tracking
 * parameters); a fourth item is another story.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Item } from '../../../src/domain/item';
import { createArchiveRepo } from '../../../src/store/archive';
import { openStore } from '../../../src/store/kv';
import { createStoryIndex } from '../../../src/store/story-index';
import { type CliResult, runBriefing } from '../../support/cli-once';

const DAY = 86_400_000;
const RANGE = ['--since', '2026-11-20', '--until', '2026-11-22'];
const LINK = 'https://gov.example.kz/en/press/2026/customs-post-opens';

function item(key: string, feedId: string, hour: number, title: string, link: string): Item {
  return {
    key,
    storyKey: `l:${link}`,
    feedId,
    link,
    title,
    description: `${title}, officials said on Friday.`,
    text: '',
    categories: [],
    publishedAt: `2026-11-21T${String(hour).padStart(2, '0')}:00:00.000Z`,
    fetchedAt: '2026-11-21T20:00:00.000Z',
  };
}

// Arrival order: the ministry first, then two outlets relaying it, and an unrelated item between.
const ITEMS = [
  item('gov-1', 'kazinform', 9, 'New customs post opens on the Kazakh-Uzbek border', LINK),
  item(
    'az-1',
    'trend-central-asia',
    11,
    'Kazakhstan, Uzbekistan open joint customs post',
    `${LINK}?utm_source=rss`,
  ),
  item(
    'other-1',
    'eurasianet',
    12,
    'Bishkek council votes on new bus routes',
    'https://eurasianet.example/bus-routes',
  ),
  item('ru-1', 'fergana-agency', 13, 'On the border, a new customs post', `${LINK}/`),
];

describe.concurrent('briefing query lists stories', () => {
  let dir: string;
  const cli = (...args: string[]) =>
    runBriefing(args, { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`, ARCHIVE_DAYS: '3650' });
  const json = (run: CliResult) =>
    run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'briefing-cli-stories-'));
    const kv = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
    const archive = createArchiveRepo(kv, { retentionMs: 3650 * DAY });
    const stories = createStoryIndex(kv, { retentionMs: 3650 * DAY });
    // As the worker does: each feed's items archived, then assigned to stories.
    for (const i of ITEMS) {
      await archive.put([{ item: i, matches: [] }]);
      await stories.assign([i]);
    }
    await kv.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists a story carried by three feeds once, headed by its first source, with its sources', async ({
    expect,
  }) => {
    const run = await cli('query', ...RANGE);
    expect(run.code).toBe(0);
    // Where its newest item stands (13:00), so before the 12:00 item of the other story.
    const lines = run.stdout.split('\n');
    expect(lines.filter((l) => l === ITEMS[0]!.title)).toHaveLength(1);
    expect(lines.filter((l) => l.includes(ITEMS[1]!.title))).toHaveLength(1);
    expect(lines).toContain(`  Kazinform: ${ITEMS[0]!.title}  ${LINK}`);
    expect(run.stdout.indexOf(ITEMS[0]!.title)).toBeLessThan(run.stdout.indexOf(ITEMS[2]!.title));
    expect(run.stdout).toMatch(/^3 sources, first seen 2026-11-21T09:00:00.000Z · story \w+$/m);
    expect(run.stdout).toContain(
      `  Trend — Central Asia: ${ITEMS[1]!.title}  ${LINK}?utm_source=rss`,
    );
    expect(run.stdout).toContain(`  Fergana: ${ITEMS[3]!.title}`);
    expect(run.stdout).toMatch(/^1 source, first seen 2026-11-21T12:00:00.000Z/m);
    expect(run.stderr).toMatch(/^2 stories from 4 items$/m);
  });

  it('--json gives one object per story with every source, in arrival order', async ({
    expect,
  }) => {
    const [story, other] = json(await cli('query', ...RANGE, '--json'));
    expect(story).toMatchObject({
      firstSeen: '2026-11-21T09:00:00.000Z',
      headline: { title: ITEMS[0]!.title, link: LINK, feedId: 'kazinform', feedName: 'Kazinform' },
      sourceCount: 3,
    });
    expect(story.sources.map((s: { feedId: string }) => s.feedId)).toEqual([
      'kazinform',
      'trend-central-asia',
      'fergana-agency',
    ]);
    expect(story.id).toMatch(/^\w{16}$/);
    expect(other).toMatchObject({ sourceCount: 1, headline: { title: ITEMS[2]!.title } });
  });

  it('pages by story: a story on the first page is not shown again on the next', async ({
    expect,
  }) => {
    const first = await cli('query', ...RANGE, '--limit', '1', '--json');
    expect(json(first).map((s) => s.headline.title)).toEqual([ITEMS[0]!.title]);
    const cursor = /^1 story from 4 items; next page: --cursor (\S+)$/m.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const next = await cli('query', ...RANGE, '--limit', '1', '--json', '--cursor', cursor!);
    expect(json(next).map((s) => s.headline.title)).toEqual([ITEMS[2]!.title]);
    expect(next.stderr).toMatch(/^1 story from 4 items$/m);
  });

  it('--items lists the items one by one, as before stories', async ({ expect }) => {
    const run = await cli('query', ...RANGE, '--items', '--json');
    expect(json(run).map((r) => r.item.key)).toEqual(['ru-1', 'other-1', 'az-1', 'gov-1']);
    expect(run.stderr).toMatch(/^4 of 4$/m);
  });

  it('--help says what a story listing holds and how to list items', async ({ expect }) => {
    const run = await cli('query', '--help');
    expect(run.stdout).toMatch(/headed by its first source/);
    expect(run.stdout).toMatch(/--items\s+single items/);
  });
});
