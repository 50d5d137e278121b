import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/domain/item';
import { storyFeatures } from '../../../src/stories/features';
import type { KV } from '../../../src/store/kv';
import { createStoryIndex, newStoryId, type StoryIndex } from '../../../src/store/story-index';
import {
  dayIndexRecords,
  itemStoryKey,
  type MemberRecord,
  memberKey,
  seqKey,
  toRecord,
} from '../../../src/store/story-index-records';
import {
  backends,
  reachable,
  servicesRequired,
  type TestStore,
  withStoreFixture,
} from '../../support/stores';
import { labelledEvents, type Report } from '../../unit/stories/labelled-stories';
import { DAY, newsItem } from './archive-items';

const events = new Map(labelledEvents().map((e) => [e.id, e]));
const reportsOf = (id: string): Report[] => events.get(id)!.reports;

let n = 0;
/** An item of feed `feedId` carrying a labelled report. */
function itemOf(report: Report, feedId: string, over: Partial<Item> = {}): Item {
  n++;
  return newsItem(n, {
    key: `item-${n}`,
    feedId,
    title: report.title,
    description: report.description,
    link: report.link,
    publishedAt: report.publishedAt,
    ...over,
  });
}

const RETENTION = 180 * DAY;

/** One item's decision, alone in its batch. */
async function assignOne(index: StoryIndex, item: Item) {
  const [assignment] = await index.assign([item]);
  return assignment!;
}

/** The real store, with every key it is asked to read counted. */
function counting(kv: KV): { kv: KV; reads: () => number } {
  let reads = 0;
  return {
    kv: {
      ...kv,
      get: (key) => {
        reads++;
        return kv.get(key);
      },
      getMany: (keys) => {
        reads += keys.length;
        return kv.getMany(keys);
      },
      update: (keys, plan) => {
        reads += keys.length;
        return kv.update(keys, plan);
      },
    },
    reads: () => reads,
  };
}

for (const backend of backends) {
  const available = await reachable(backend);
  describe.skipIf(!available && !servicesRequired)(`story index on ${backend.name}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await backend.open();
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('files the reports of one event from several feeds under one story, with its sources in order', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const reports = reportsOf('tokayev-guterres-call');
      const items = reports.map((r, i) => itemOf(r, `feed-${i}`));
      const assigned = [];
      for (const item of items) assigned.push(await assignOne(index, item));
      expect(assigned[0]!.first).toBe(true);
      expect(assigned.slice(1).every((a) => !a.first)).toBe(true);
      expect(new Set(assigned.map((a) => a.storyId)).size).toBe(1);
      const story = await index.story(assigned[0]!.storyId);
      expect(story?.sources.map((s) => s.feedId)).toEqual(['feed-0', 'feed-1', 'feed-2', 'feed-3']);
      expect(story?.firstSeen).toBe(reports[0]!.publishedAt);
    });

    it('one batch holding two events and a repeat decides them as one at a time would', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const [q0, q1, q2] = reportsOf('tajik-earthquake').map((r, i) => itemOf(r, `feed-${i}`));
      const [t0, t1] = reportsOf('ru-tashkent-metro-fare').map((r, i) => itemOf(r, `ru-${i}`));
      const out = await index.assign([q0!, t0!, q1!, t1!, q0!]);
      expect(out.map((a) => a.first)).toEqual([true, true, false, false, true]);
      expect(new Set(out.map((a) => a.storyId)).size).toBe(2);
      expect(out[4]).toEqual(out[0]);
      const [later] = await index.assign([q2!]);
      expect(later).toEqual({ storyId: out[0]!.storyId, first: false });
      expect((await index.story(out[0]!.storyId))?.sources.map((s) => s.itemKey)).toEqual([
        q0!.key,
        q1!.key,
        q2!.key,
      ]);
    });

    it('keeps the same person at another meeting that day, and a follow-up two days later, apart', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const call = await assignOne(
        index,
        itemOf(reportsOf('tokayev-guterres-call')[0]!, 'kazinform'),
      );
      const meeting = await assignOne(
        index,
        itemOf(reportsOf('tokayev-wb-meeting')[0]!, 'kazinform'),
      );
      const ban = await assignOne(
        index,
        itemOf(reportsOf('uzbek-wheat-export-ban')[0]!, 'reuters'),
      );
      const followUp = await assignOne(
        index,
        itemOf(reportsOf('uzbek-wheat-ban-extended')[1]!, 'trend'),
      );
      expect(meeting.first && followUp.first).toBe(true);
      expect(new Set([call, meeting, ban, followUp].map((a) => a.storyId)).size).toBe(4);
    });

    it('the same canonical link is the same story, whatever its scheme, www, slash or tracking parameters', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const at = '2026-03-03T06:00:00.000Z';
      const a = await assignOne(
        index,
        newsItem(1, { link: 'https://www.inform.kz/en/a4400101/', title: 'One', publishedAt: at }),
      );
      const b = await assignOne(
        index,
        newsItem(2, {
          key: 'k2',
          link: 'http://inform.kz/en/a4400101?utm_source=telegram',
          title: 'Another headline altogether',
          publishedAt: '2026-03-04T06:00:00.000Z',
        }),
      );
      expect(b).toEqual({ storyId: a.storyId, first: false });
    });

    it('a reprint by link files the member its own text would: the same text, or an edited one', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const [q0] = reportsOf('tajik-earthquake');
      const first = itemOf(q0!, 'asia-plus');
      const again = itemOf(q0!, 'aggregator', { publishedAt: '2026-03-13T09:00:00.000Z' });
      const edited = itemOf(q0!, 'aggregator-2', {
        title: `${q0!.title}: death toll rises to 12`,
        publishedAt: '2026-03-13T10:00:00.000Z',
      });
      const story = (await assignOne(index, first)).storyId;
      for (const item of [again, edited]) {
        expect(await assignOne(index, item)).toEqual({ storyId: story, first: false });
        const day = item.publishedAt.slice(0, 10);
        const length = (await store.kv.get<number>(seqKey(day)))!;
        const member = await store.kv.get<MemberRecord>(memberKey(day, length - 1));
        const { h: _text, ...filed } = member!;
        expect(filed).toEqual(toRecord(storyFeatures(item), story));
      }
    });

    it('an English and a Russian report of one event are two stories', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const en = reportsOf('tokayev-guterres-call')[0]!;
      const ru = {
        ...en,
        title: 'Токаев и Гутерриш провели телефонный разговор',
        link: 'https://www.inform.kz/ru/x',
      };
      const a = await assignOne(index, itemOf(en, 'kazinform'));
      const b = await assignOne(
        index,
        itemOf(ru, 'kazinform-ru', {
          description:
            'АСТАНА. КАЗИНФОРМ – Касым-Жомарт Токаев и Антониу Гутерриш обсудили по телефону хаб ООН в Алматы.',
        }),
      );
      expect(b.storyId).not.toBe(a.storyId);
    });

    it('a report more than 72 h after the first is a new story', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const [first, second] = reportsOf('kazakh-rate-decision');
      const a = await assignOne(index, itemOf(first!, 'reuters'));
      const late = new Date(Date.parse(first!.publishedAt) + 4 * DAY).toISOString();
      const b = await assignOne(index, itemOf(second!, 'kazinform', { publishedAt: late }));
      expect(b.first).toBe(true);
      expect(b.storyId).not.toBe(a.storyId);
    });

    it('deciding an item again, or after a restart, answers the same story and adds no source', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const [r0, r1] = reportsOf('rogun-turbine');
      const a = itemOf(r0!, 'asia-plus');
      const b = itemOf(r1!, 'trend');
      const first = await assignOne(index, a);
      const joined = await assignOne(index, b);
      expect(await assignOne(index, b)).toEqual(joined);
      const restarted = createStoryIndex(store.kv, { retentionMs: RETENTION });
      expect(await assignOne(restarted, a)).toEqual(first);
      expect(await restarted.storiesOf([a.key, b.key, 'never-seen'])).toEqual([
        first.storyId,
        first.storyId,
        undefined,
      ]);
      expect((await restarted.story(first.storyId))?.sourceCount).toBe(2);
    });

    it('a batch holding an item decided before and new ones answers the first as before, decides the rest, and lists each source once', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const [r0, r1, r2] = reportsOf('tajik-earthquake');
      const a = itemOf(r0!, 'asia-plus');
      const first = await assignOne(index, a);
      const [b, c] = [itemOf(r1!, 'reuters'), itemOf(r2!, 'kabar')];
      const joined = { storyId: first.storyId, first: false };
      expect(await index.assign([b, a, c])).toEqual([joined, first, joined]);
      const restarted = createStoryIndex(store.kv, { retentionMs: RETENTION });
      expect(await restarted.assign([c, a, b])).toEqual([joined, first, joined]);
      const story = await index.story(first.storyId);
      expect(story?.sources.map((s) => s.itemKey)).toEqual([a.key, b.key, c.key]);
      expect(story?.sourceCount).toBe(3);
    });

    it('a source whose decision aged out before its story is counted, no longer listed', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const [r0, r1] = reportsOf('rogun-turbine');
      const a = itemOf(r0!, 'asia-plus');
      const b = itemOf(r1!, 'trend');
      const { storyId } = await assignOne(index, a);
      await assignOne(index, b);
      await store.kv.delete(itemStoryKey(a.key));
      const story = await index.story(storyId);
      expect(story?.sources.map((s) => s.itemKey)).toEqual([b.key]);
      expect(story?.sourceCount).toBe(2);
    });

    it('prunes index days outside the window; decided stories stay', async () => {
      const index = createStoryIndex(store.kv, { retentionMs: RETENTION });
      const [r0, r1] = reportsOf('kyrgyz-tajik-border-deal');
      const old = itemOf(r0!, 'akipress');
      const { storyId } = await assignOne(index, old);
      expect(await index.prune(new Date('2026-03-06T00:00:00Z'))).toEqual({ days: 0 });
      expect(await index.prune(new Date('2026-03-10T00:00:00Z'))).toEqual({ days: 1 });
      expect(await store.kv.get('story:seq:2026-03-04')).toBeUndefined();
      expect(await index.storiesOf([old.key])).toEqual([storyId]);
      // Its day's index is gone: a near-duplicate arriving now finds nothing to join.
      expect((await assignOne(index, itemOf(r1!, '24kg'))).first).toBe(true);
    });

    it('finds stories in a day loaded in bulk, and once the window is in memory reads a bounded number of keys however full the day', async () => {
      const { kv, reads } = counting(store.kv);
      const index = createStoryIndex(kv, { retentionMs: RETENTION });
      const [r0, r1] = reportsOf('turkmen-caspian-summit');
      // 300 reports of one day sharing all their names with the summit's: the day's bands crowded.
      const crowd = Array.from({ length: 300 }, (_, i) => ({
        features: storyFeatures({
          ...r0!,
          link: `https://example.org/crowd/${i}`,
          description: `${r0!.description} Item ${i}.`,
        }),
        storyId: `crowd-${i}`,
      }));
      const summit = { features: storyFeatures(r0!), storyId: 'the-summit' };
      await kv.setMany(dayIndexRecords('2026-03-11', [summit, ...crowd]));
      await index.addDays(['2026-03-11']);
      const first = await assignOne(index, itemOf(r1!, 'trend'));
      expect(first.first).toBe(false);
      expect(first.storyId).toMatch(/^(the-summit|crowd-\d+)$/);
      const before = reads();
      const again = await assignOne(index, itemOf(r1!, 'ap'));
      // The window days' log lengths, at most 6 candidates; then the update: the days list, the
      // lengths again, the item's decision (not read before: the item is new) and the story joined.
      expect(reads() - before).toBeLessThanOrEqual(7 + 6 + (1 + 7 + 1 + 1));
      expect(again.storyId).toBe(first.storyId);
    });

    it('sees what another process filed after it had read the day', async () => {
      const other = await store.connect();
      try {
        const here = createStoryIndex(store.kv, { retentionMs: RETENTION });
        const there = createStoryIndex(other, { retentionMs: RETENTION });
        const [q0, q1] = reportsOf('tajik-earthquake');
        // Same day as the quake's reports: `here` has that day in memory before `there` writes.
        const unrelated = itemOf(q0!, 'elsewhere', {
          title: 'Dushanbe hosts a chess tournament for schoolchildren',
          description: 'Young players from five regions of Tajikistan met at the national library.',
          link: 'https://example.org/chess',
        });
        await assignOne(here, unrelated);
        const quake = await assignOne(there, itemOf(q0!, 'asia-plus'));
        expect(await assignOne(here, itemOf(q1!, 'reuters'))).toEqual({
          storyId: quake.storyId,
          first: false,
        });
      } finally {
        if (other !== store.kv) await other.close();
      }
    });

    it('a crash after the story was written but before the decision: deciding again answers the same, listed once', async () => {
      let crash = true;
      // The decisions are the last writes: a crash cuts them off and keeps the rest.
      const cut: KV = {
        ...store.kv,
        update: (keys, plan) =>
          store.kv.update(keys, (values) => {
            const planned = plan(values);
            if (!crash) return planned;
            return {
              ...planned,
              writes: planned.writes.filter((w) => !w.key.startsWith('story:i:')),
            };
          }),
      };
      const index = createStoryIndex(cut, { retentionMs: RETENTION });
      const [r0, r1] = reportsOf('rogun-turbine');
      const a = itemOf(r0!, 'asia-plus');
      const b = itemOf(r1!, 'trend');
      const before = await index.assign([a, b]);
      crash = false;
      expect(await createStoryIndex(cut, { retentionMs: RETENTION }).assign([a, b])).toEqual(
        before,
      );
      expect(before.map((x) => x.first)).toEqual([true, false]);
      const story = await index.story(before[0]!.storyId);
      expect(story?.sources.map((s) => s.itemKey)).toEqual([a.key, b.key]);
      expect(story?.sourceCount).toBe(2);
    });

    it('two processes deciding two reports of one event at once file them under one story', async () => {
      const other = await store.connect();
      try {
        const here = createStoryIndex(store.kv, { retentionMs: RETENTION });
        const there = createStoryIndex(other, { retentionMs: RETENTION });
        const [q0, q1, q2] = reportsOf('tajik-earthquake');
        const [a, b] = await Promise.all([
          here.assign([itemOf(q0!, 'asia-plus')]),
          there.assign([itemOf(q1!, 'reuters')]),
        ]);
        expect(b![0]!.storyId).toBe(a![0]!.storyId);
        expect([a![0]!.first, b![0]!.first].sort()).toEqual([false, true]);
        const day = q0!.publishedAt.slice(0, 10);
        expect(await store.kv.get(`story:seq:${day}`)).toBe(2);
        expect((await here.story(a![0]!.storyId))?.sourceCount).toBe(2);
        // Each process's memory caught up: a third report joins through either.
        expect((await there.assign([itemOf(q2!, 'kabar')]))[0]!.storyId).toBe(a![0]!.storyId);
      } finally {
        if (other !== store.kv) await other.close();
      }
    });

    it('after a write that failed, the next decision writes the day’s log without a hole', async () => {
      let failNext = true;
      const flaky: KV = {
        ...store.kv,
        update: (keys, plan) => {
          if (!failNext) return store.kv.update(keys, plan);
          failNext = false;
          return Promise.reject(new Error('store unavailable'));
        },
      };
      const index = createStoryIndex(flaky, { retentionMs: RETENTION });
      const [r0, r1] = reportsOf('rogun-turbine');
      const a = itemOf(r0!, 'asia-plus');
      await expect(index.assign([a])).rejects.toThrow('store unavailable');
      const first = await assignOne(index, a);
      const day = r0!.publishedAt.slice(0, 10);
      expect(await store.kv.get(`story:seq:${day}`)).toBe(1);
      expect(await store.kv.get(`story:m:${day}:0`)).toMatchObject({ s: first.storyId });
      expect(await assignOne(index, itemOf(r1!, 'trend'))).toEqual({
        storyId: first.storyId,
        first: false,
      });
    });
  });
}

/**
 * Written by the index's earlier layout (band and link buckets in the store, members carrying
 * their bands; until December 2026), through `assign`: two reports of the Tajik earthquake (one
 * story) and one of the Rogun turbine, as items `legacy-quake-0`, `legacy-quake-1` and
 * `legacy-rogun-0`, with a century's retention.
 */
const LEGACY = join(import.meta.dirname, '../../fixtures/store/story-index-before-2026-12.sqlite');

describe('a story index written by the earlier layout', () => {
  it('keeps its decisions and stories, lets new reports join them, and is pruned whole', () =>
    withStoreFixture(LEGACY, async (kv, file) => {
      const index = createStoryIndex(kv, { retentionMs: RETENTION });
      const quake = newStoryId({ key: 'legacy-quake-0' });
      const rogun = newStoryId({ key: 'legacy-rogun-0' });
      expect(await index.storiesOf(['legacy-quake-0', 'legacy-quake-1', 'legacy-rogun-0'])).toEqual(
        [quake, quake, rogun],
      );
      expect((await index.story(quake))?.sources.map((s) => s.itemKey)).toEqual([
        'legacy-quake-0',
        'legacy-quake-1',
      ]);
      const q2 = itemOf(reportsOf('tajik-earthquake')[2]!, 'kabar');
      expect(await assignOne(index, q2)).toEqual({ storyId: quake, first: false });
      expect((await index.story(quake))?.sourceCount).toBe(3);
      // Listed after the two the earlier layout's record holds inline.
      expect((await index.story(quake))?.sources.map((s) => s.itemKey)).toEqual([
        'legacy-quake-0',
        'legacy-quake-1',
        q2.key,
      ]);

      expect(await index.prune(new Date('2026-04-01T00:00:00Z'))).toEqual({ days: 2 });
      // Only the decisions and the stories stay: no bucket, link, member or sequence of a day.
      expect(daysKeysLeft(file)).toEqual([]);
      expect(await index.storiesOf(['legacy-quake-0', q2.key])).toEqual([quake, quake]);
    }));
});

/** Written by the code of 32990c6: members holding their terms as pairs, and no digest of their text. */
const BEFORE_TERM_STRINGS = join(
  import.meta.dirname,
  '../../fixtures/store/story-index-before-term-strings.sqlite',
);

describe('a story index written before members held their terms as one string', () => {
  it('keeps its decisions and stories, compares its members, files reprints of them with their own text, and is pruned whole', () =>
    withStoreFixture(BEFORE_TERM_STRINGS, async (kv, file) => {
      const index = createStoryIndex(kv, { retentionMs: RETENTION });
      const quake = newStoryId({ key: 'before-tajik-earthquake-0' });
      const rogun = newStoryId({ key: 'before-rogun-turbine-0' });
      expect(
        await index.storiesOf([
          'before-tajik-earthquake-0',
          'before-tajik-earthquake-1',
          'before-rogun-turbine-0',
        ]),
      ).toEqual([quake, quake, rogun]);

      const [q0, , q2] = reportsOf('tajik-earthquake');
      const reprint = itemOf(q0!, 'aggregator');
      expect(await assignOne(index, reprint)).toEqual({ storyId: quake, first: false });
      const { h: _text, ...filed } = (await kv.get<MemberRecord>(memberKey('2026-03-13', 2)))!;
      expect(filed).toEqual(toRecord(storyFeatures(reprint), quake));
      expect(typeof filed.t).toBe('string');
      // By their words, against members holding pairs.
      const kabar = itemOf(q2!, 'kabar');
      expect(await assignOne(index, kabar)).toEqual({ storyId: quake, first: false });
      const r1 = itemOf(reportsOf('rogun-turbine')[1]!, 'trend');
      expect(await assignOne(index, r1)).toEqual({ storyId: rogun, first: false });
      expect((await index.story(quake))?.sources.map((s) => s.itemKey)).toEqual([
        'before-tajik-earthquake-0',
        'before-tajik-earthquake-1',
        reprint.key,
        kabar.key,
      ]);

      expect(await index.prune(new Date('2026-04-01T00:00:00Z'))).toEqual({ days: 2 });
      expect(daysKeysLeft(file)).toEqual([]);
    }));
});

/** The story keys a SQLite store file still holds besides decisions, stories and the days' list. */
function daysKeysLeft(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const keys = db
      .prepare("SELECT key FROM keyv WHERE key LIKE 'story:%' ORDER BY key")
      .pluck()
      .all() as string[];
    return keys.filter((k) => !/^story:(i|s):|^story:days$/.test(k));
  } finally {
    db.close();
  }
}
