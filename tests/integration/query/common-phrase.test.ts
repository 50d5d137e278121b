/**
 * A phrase made of common words — "counter-terrorism", the default topic's own headline — was
 * refused as "too common to count" once more than 5,000 archived items had its words. It is now
 * answered: the newest candidates are checked (a bounded number), the page holds real matches
 * newest first, the count says "at least", and the cursor continues past what was checked. Then
 * the real CLI prints it that way.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryService } from '../../../src/query/archive-query';
import { createArchiveRepo, type ArchiveRepo } from '../../../src/store/archive';
import { openStore, type KV } from '../../../src/store/kv';
import { exitWithin, runCli } from '../../support/reliability/child-cli';
import { DAY, newsItem } from '../store/archive-items';

const START = Date.parse('2026-11-01T00:00:00.000Z');
const NOW = new Date(START + 30 * DAY);
/** More items with both words than one query checks (select-days.ts: 5,000). */
const ITEMS = 5_400;
const minute = 60_000;

/**
 * Every hundredth item has the phrase (the newest is n = 5,300); the others have both words
 * apart. The newest 5,000 candidates hold 50 matches; four more are older than that.
 */
const hasPhrase = (n: number) => n % 100 === 0;
const title = (n: number) =>
  hasPhrase(n)
    ? `UN counter-terrorism office meets in Dushanbe (${n})`
    : `Border counter opened; terrorism charges dropped (${n})`;

let dir: string;
let kv: KV;
let archive: ArchiveRepo;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-common-phrase-'));
  kv = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  archive = createArchiveRepo(kv, { retentionMs: 3650 * DAY });
  for (let from = 0; from < ITEMS; from += 600) {
    const batch = Array.from({ length: 600 }, (_, i) => from + i).map((n) => ({
      item: newsItem(n, {
        key: `key-${String(n).padStart(5, '0')}`,
        title: title(n),
        publishedAt: new Date(START + n * 5 * minute).toISOString(),
      }),
      matches: [],
    }));
    await archive.put(batch);
  }
  await writeFile(join(dir, 'feeds.yaml'), 'feeds: []\n');
  await writeFile(join(dir, 'topics.yaml'), 'topics: []\n');
}, 120_000);
afterAll(async () => {
  await kv.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a phrase of common words', () => {
  const service = () => createQueryService(archive, { now: () => NOW });
  const since = new Date(START);

  it('is answered with the newest real matches and a count that says "at least"', async () => {
    const page = await service().query({ since, text: 'counter-terrorism', limit: 10 });
    expect(page.partial).toBe(true);
    const newest = Array.from({ length: ITEMS }, (_, i) => ITEMS - 1 - i).filter(hasPhrase);
    expect(page.items.map((a) => a.item.title)).toEqual(newest.slice(0, 10).map(title));
    expect(page.total).toBeGreaterThanOrEqual(10);
    expect(page.total).toBeLessThan(newest.length);
    expect(page.nextCursor).toBeDefined();
  });

  it('pages on past what the first check covered, with no repeats and only real matches', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await service().query({ since, text: 'counter-terrorism', limit: 50, cursor });
      for (const a of page.items) {
        expect(a.item.title).toMatch(/counter-terrorism/);
        expect(seen.has(a.item.key)).toBe(false);
        seen.add(a.item.key);
      }
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen.size).toBe(ITEMS / 100);
    expect(pages).toBe(2);
  });

  it('briefing query --text counter-terrorism prints a page of stories "from at least" so many items', async () => {
    const run = runCli(
      [
        'query',
        '--config',
        dir,
        '--text',
        'counter-terrorism',
        '--since',
        '2026-11-01',
        '--limit',
        '3',
      ],
      { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`, ARCHIVE_DAYS: '3650' },
      { cwd: dir },
    );
    const exit = await exitWithin(run, 60_000);
    expect(exit.code, run.output()).toBe(0);
    expect(run.stdout()).toContain(title(ITEMS - 100));
    expect(run.stderr()).toMatch(
      /^3 stories from at least \d+ items \(a common phrase: .*\); next page: --cursor \S+$/m,
    );
  });
});
