import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopics } from '../../../src/config/catalog';
import { QueryError } from '../../../src/errors';
import { normalizeFeed } from '../../../src/feeds/normalize';
import { parseFeed } from '../../../src/feeds/parse';
import { backtestTopic, type BacktestOptions } from '../../../src/query/backtest';
import { createArchiveRepo, type ArchiveRepo } from '../../../src/store/archive';
import { compileTopics } from '../../../src/topics/compile';
import type { TopicsFile } from '../../../src/topics/schema';
import { backends, type TestStore } from '../../support/stores';
import { DAY } from '../store/archive-items';

const FEED = 'tests/fixtures/feeds/trend-central-asia.rss';
const since = new Date('2021-10-01T00:00:00Z');
const now = new Date('2021-10-20T00:00:00Z');

describe('backtesting a topic over the archive', () => {
  let store: TestStore;
  let archive: ArchiveRepo;
  let topics: TopicsFile;
  let titles: string[];
  const run = (over: Partial<BacktestOptions>) =>
    backtestTopic({
      archive,
      topic: topics.topics[0]!,
      groups: topics.groups,
      since,
      now,
      ...over,
    });
  const titlesOf = (hits: Array<{ archived: { item: { title: string } } }>) =>
    hits.map((h) => titles.indexOf(h.archived.item.title) + 1);

  beforeAll(async () => {
    store = await backends[0]!.open();
    archive = createArchiveRepo(store.kv, { retentionMs: 3650 * DAY });
    topics = await loadTopics('config');
    const raw = await parseFeed(await readFile(FEED, 'utf8'), FEED);
    const items = normalizeFeed(raw, {
      feedId: 'trend-central-asia',
      fetchedAt: now,
      url: 'https://en.trend.az/feeds/centralasia.rss',
    });
    titles = items.map((i) => i.title);
    // Archived as the worker does: with what the live topics matched, which the backtest ignores.
    const matcher = compileTopics(topics.topics, topics.groups);
    await archive.put(items.map((item) => ({ item, matches: matcher.match(item) })));
  });
  afterAll(async () => {
    await store.dispose();
  });

  it('the default topic would have matched the first and the fourth item of the seed feed', async () => {
    const result = await run({});
    expect(result.scanned).toBe(5);
    expect(result.matched).toBe(2);
    expect(titlesOf(result.best)).toEqual([1, 4]);
    expect(result.best[0]!.why).toMatch(/Turkmenistan/);
    expect(result.best[0]!.score).toBeGreaterThan(result.best[1]!.score);
    const matchedOnes = result.borderline.filter((h) => !h.clauses);
    expect(titlesOf(matchedOnes)).toEqual([4, 1]);
    expect(matchedOnes.every((h) => !h.missed)).toBe(true);
  });

  it('explains clause by clause the items the query came closest to matching, but did not', async () => {
    const misses = (await run({})).borderline.filter((h) => h.clauses);
    // Items 5 and 2 name Central Asia but not the UN's counter-terrorism work; item 3 names neither.
    expect(titlesOf(misses)).toEqual([5, 2]);
    for (const miss of misses) {
      expect(miss).toMatchObject({ missed: true, score: 0 });
      expect(miss.why).toMatch(/^@un_ct: not found · @un NEAR\/paragraph @counter_terrorism: /);
      expect(miss.clauses?.[0]).toMatch(/^✗ /);
      expect(miss.clauses).toContainEqual(expect.stringMatching(/^ {4}✓ @central_asia: /));
    }
  });

  it('a higher minScore turns the weaker match into a near miss', async () => {
    const base = topics.topics[0]!;
    const strong = (await run({})).best[0]!.score;
    const result = await run({ topic: { ...base, minScore: strong } });
    expect(result.matched).toBe(1);
    expect(titlesOf(result.best)).toEqual([1]);
    const scored = result.borderline.filter((h) => !h.clauses);
    expect(titlesOf(scored)).toEqual([1, 4]);
    expect(scored.map((h) => h.missed)).toEqual([false, true]);
  });

  it('takes a query instead of a topic, groups included', async () => {
    const result = await run({ topic: 'Kazakhstan OR Tajikistan' });
    expect(result.topic).toMatchObject({ id: 'ad-hoc', minScore: 2 });
    expect(titlesOf(result.best)).toEqual([2, 5]);
    expect((await run({ topic: '@un_ct' })).matched).toBe(1);
  });

  it('reads only the range and at most the sample, newest first', async () => {
    expect(await run({ since: new Date('2021-10-16T00:00:00Z') })).toMatchObject({
      scanned: 0,
      matched: 0,
    });
    const sampled = await run({ sample: 2 });
    expect(sampled.scanned).toBe(2);
    expect(titlesOf(sampled.best)).toEqual([4]);
  });

  it('reports a query that does not parse without naming a topic', async () => {
    const attempt = run({ topic: '(Kazakhstan' });
    await expect(attempt).rejects.toBeInstanceOf(QueryError);
    await expect(attempt).rejects.toThrow(/^Missing \) for this \($/);
  });
});
