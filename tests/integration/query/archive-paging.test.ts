/**
 * Paging through random archives with random queries gives exactly what a plain filter-and-sort
 * over the same items gives: no duplicates, no gaps, the same order and the same total. Times
 * are drawn on a coarse grid so many items share a published time, and ranges cut through days.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryService } from '../../../src/query/archive-query';
import { createArchiveRepo } from '../../../src/store/archive';
import { backends, prefixed, type TestStore } from '../../support/stores';
import { DAY } from '../store/archive-items';
import { expectedItems, rangeQuery, specEntries } from './paging-oracle';

const START = Date.parse('2026-11-10T00:00:00.000Z');
const NOW = new Date(START + 6 * DAY);
const WORDS = [
  'water',
  'talks',
  'talk',
  'UN',
  'un',
  'Туркменистан',
  'Туркменистана',
  'gas',
  'border',
];
const FEEDS = ['fa', 'fb', 'fc'];
const TOPICS = ['t1', 't2', 't3'];

const itemArb = fc.record({
  slot: fc.integer({ min: 0, max: 5 * 8 }), // three-hour steps over five days: many ties
  feed: fc.constantFrom(...FEEDS),
  topics: fc.subarray(TOPICS),
  words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }),
});

const queryArb = fc.record({
  topics: fc.option(fc.subarray(TOPICS, { minLength: 1 }), { nil: undefined, freq: 1 }),
  feeds: fc.option(fc.subarray(FEEDS, { minLength: 1 }), { nil: undefined, freq: 1 }),
  text: fc.option(
    fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom('water talks', '"water talks"', 'UN gas')),
    { nil: undefined, freq: 1 },
  ),
  from: fc.integer({ min: 0, max: 20 }), // six-hour steps from START
  span: fc.integer({ min: 1, max: 24 }),
  limit: fc.integer({ min: 1, max: 7 }),
});

describe('paging through the archive', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backends[0]!.open();
  });
  afterAll(async () => {
    await store.dispose();
  });

  it('returns every matching item exactly once, in order, with the right total', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(itemArb, { maxLength: 40, size: 'max' }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 4 }),
        queryArb,
        async (specs, batchSizes, q) => {
          const archive = createArchiveRepo(prefixed(store.kv, `run${run++}:`), {
            retentionMs: 180 * DAY,
          });
          const entries = specEntries(specs, START);
          for (let at = 0, b = 0; at < entries.length; at += batchSizes[b++ % batchSizes.length]!) {
            await archive.put(entries.slice(at, at + batchSizes[b % batchSizes.length]!));
          }

          const query = rangeQuery(q, START);
          const expected = expectedItems(entries, query).map((item) => item.key);

          const service = createQueryService(archive, { now: () => NOW });
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let page = 0; page <= entries.length; page++) {
            const result = await service.query({ ...query, ...(cursor && { cursor }) });
            expect(result.total).toBe(expected.length);
            expect(result.items.length).toBeLessThanOrEqual(q.limit);
            seen.push(...result.items.map((a) => a.item.key));
            cursor = result.nextCursor;
            if (!cursor) break;
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
