import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors';
import type { Item } from '../../../src/domain/item';
import {
  createQueryService,
  type ArchiveQuery,
  type QueryService,
} from '../../../src/query/archive-query';
import { createArchiveRepo } from '../../../src/store/archive';
import { backends, type TestStore } from '../../support/stores';
import { DAY, matched, newsItem } from '../store/archive-items';

const NOW = new Date('2026-11-20T00:00:00.000Z');
const since = new Date('2026-11-01T00:00:00.000Z');

/** A small archive over five days; titles and times chosen per case below. */
const ITEMS: Array<{ item: Item; topics: string[] }> = [
  {
    item: newsItem(1, {
      title: 'Turkmenistan and UN discuss water security',
      publishedAt: '2026-11-10T09:00:00.000Z',
    }),
    topics: ['water'],
  },
  {
    item: newsItem(2, {
      title: 'Туркменистан и ООН обсудили сотрудничество',
      publishedAt: '2026-11-10T12:00:00.000Z',
      feedId: 'feed-ru',
    }),
    topics: ['un'],
  },
  {
    item: newsItem(3, {
      title: 'Делегация Туркменистана прибыла в Женеву',
      publishedAt: '2026-11-11T08:00:00.000Z',
      feedId: 'feed-ru',
    }),
    topics: [],
  },
  {
    item: newsItem(4, {
      title: 'Security of water supplies discussed',
      publishedAt: '2026-11-12T23:59:59.999Z',
    }),
    topics: ['water'],
  },
  {
    item: newsItem(5, {
      title: 'Un café pour la sécurité',
      publishedAt: '2026-11-13T00:00:00.000Z',
      feedId: 'feed-fr',
    }),
    topics: [],
  },
  {
    item: newsItem(6, {
      title: 'Gas talks resume',
      description: 'The talks on gas prices resumed.',
      publishedAt: '2026-11-14T10:00:00.000Z',
    }),
    topics: ['un', 'water'],
  },
  // Same published time as 6: ordered by key.
  {
    item: newsItem(7, {
      key: 'key-0000-first',
      title: 'Border talk with Uzbekistan',
      publishedAt: '2026-11-14T10:00:00.000Z',
    }),
    topics: [],
  },
  {
    item: newsItem(8, {
      title: 'Late evening update',
      publishedAt: '2026-11-14T22:00:00.000Z',
      feedId: 'feed-ru',
    }),
    topics: ['un'],
  },
];

describe('the archive query service', () => {
  let store: TestStore;
  let service: QueryService;
  const keys = async (q: Partial<ArchiveQuery>) =>
    (await service.query({ since, limit: 50, ...q })).items.map((a) => a.item.key);

  beforeAll(async () => {
    store = await backends[0]!.open();
    const archive = createArchiveRepo(store.kv, { retentionMs: 180 * DAY });
    // Two polls, as the worker writes them.
    const entries = ITEMS.map(({ item, topics }) => ({
      item,
      matches: topics.map((t) => matched(t)),
    }));
    await archive.put(entries.slice(0, 4));
    await archive.put(entries.slice(4));
    service = createQueryService(archive, { now: () => NOW });
  });
  afterAll(async () => {
    await store.dispose();
  });

  it('lists everything in range newest first across days, equal times by key', async () => {
    expect(await keys({})).toEqual([
      'key-0008',
      'key-0000-first',
      'key-0006',
      'key-0005',
      'key-0004',
      'key-0003',
      'key-0002',
      'key-0001',
    ]);
  });

  it.each([
    ['one topic', { topics: ['water'] }, ['key-0006', 'key-0004', 'key-0001']],
    [
      'any of two topics',
      { topics: ['water', 'un'] },
      ['key-0008', 'key-0006', 'key-0004', 'key-0002', 'key-0001'],
    ],
    ['a topic nobody matched', { topics: ['nothing'] }, []],
    ['one feed', { feeds: ['feed-ru'] }, ['key-0008', 'key-0003', 'key-0002']],
    ['a topic and a feed', { topics: ['un'], feeds: ['feed-ru'] }, ['key-0008', 'key-0002']],
    ['a word in any case and inflection', { text: 'talks' }, ['key-0000-first', 'key-0006']],
    ['a Russian word in another case', { text: 'Туркменистан' }, ['key-0003', 'key-0002']],
    [
      'an English and a Russian spelling are different words',
      { text: 'Turkmenistan' },
      ['key-0001'],
    ],
    ['every word is required', { text: 'water security' }, ['key-0004', 'key-0001']],
    ['a phrase needs its words adjacent and in order', { text: '"water security"' }, ['key-0001']],
    ['a word in capitals matches only capitals', { text: 'UN' }, ['key-0001']],
    ['a word in lower case matches any case', { text: 'un' }, ['key-0005', 'key-0001']],
    ['the description is searched too', { text: 'prices' }, ['key-0006']],
    ['text and topic together', { text: 'talks', topics: ['water'] }, ['key-0006']],
  ])('filters by %s', async (_, q, expected) => {
    expect(await keys(q)).toEqual(expected);
    expect((await service.query({ since, limit: 50, ...q })).total).toBe(expected.length);
  });

  it('includes an item published exactly at `since` and excludes one exactly at `until`', async () => {
    expect(
      await keys({
        since: new Date('2026-11-13T00:00:00.000Z'),
        until: new Date('2026-11-14T10:00:00.000Z'),
      }),
    ).toEqual(['key-0005']);
    expect(
      await keys({
        since: new Date('2026-11-12T23:59:59.999Z'),
        until: new Date('2026-11-13T00:00:00.000Z'),
      }),
    ).toEqual(['key-0004']);
    expect(
      await keys({
        since: new Date('2026-11-10T10:00:00.000Z'),
        until: new Date('2026-11-11T09:00:00.000Z'),
        feeds: ['feed-ru'],
      }),
    ).toEqual(['key-0003', 'key-0002']);
    // The latest date JavaScript has is still a range end, not a reason to find nothing.
    expect(
      await keys({ since: new Date('2026-11-14T12:00:00.000Z'), until: new Date(8.64e15) }),
    ).toEqual(['key-0008']);
  });

  it('counts the whole range while returning one page, and gives a cursor only when more follow', async () => {
    const first = await service.query({ since, limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.total).toBe(8);
    expect(first.nextCursor).toBeDefined();
    const rest = await service.query({ since, limit: 5, cursor: first.nextCursor });
    expect(rest.items.map((a) => a.item.key)).toEqual([
      'key-0005',
      'key-0004',
      'key-0003',
      'key-0002',
      'key-0001',
    ]);
    expect(rest.total).toBe(8);
    expect(rest.nextCursor).toBeUndefined();
  });

  it('a page boundary between two items of the same time loses neither', async () => {
    const first = await service.query({ since, limit: 2 });
    expect(first.items.map((a) => a.item.key)).toEqual(['key-0008', 'key-0000-first']);
    const second = await service.query({ since, limit: 1, cursor: first.nextCursor });
    expect(second.items.map((a) => a.item.key)).toEqual(['key-0006']);
  });

  it('does not return items older than the retention window even before they are pruned', async () => {
    const short = createQueryService(createArchiveRepo(store.kv, { retentionMs: 8 * DAY }), {
      now: () => NOW,
    });
    const page = await short.query({ since, limit: 50 });
    expect(page.items.map((a) => a.item.key)).toEqual([
      'key-0008',
      'key-0000-first',
      'key-0006',
      'key-0005',
      'key-0004',
    ]);
  });

  it.each([
    [
      'since after until',
      { until: new Date('2026-10-01T00:00:00Z') },
      /start of the range must be before its end/,
    ],
    ['an invalid date', { since: new Date('nope') }, /since must be a valid date/],
    ['a limit of 0', { limit: 0 }, /limit must be from 1 to 50/],
    ['a limit of 51', { limit: 51 }, /limit must be from 1 to 50/],
    ['a fractional limit', { limit: 2.5 }, /limit must be a whole number/],
    ['a cursor that is not one', { cursor: 'garbage!' }, /not one this bot gave out/],
    ['an unclosed quote', { text: '"water security' }, /character 1: Unclosed quote/],
    ['an operator', { text: 'water OR gas' }, /only words and "quoted phrases".*OR/],
    ['a prefix', { text: 'terror*' }, /prefixes/],
    ['a malformed topic id', { topics: ['a:b'] }, /topic ids are/],
  ])('refuses %s with a message safe to show', async (_, q, message) => {
    const attempt = service.query({ since, limit: 10, ...q });
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('refuses a cursor taken from a different search', async () => {
    const { nextCursor } = await service.query({ since, limit: 1, topics: ['water'] });
    await expect(
      service.query({ since, limit: 1, topics: ['un'], cursor: nextCursor }),
    ).rejects.toThrow(/different search/);
  });
});
