/**
 * Pipeline cost per item: what the worker does with a fetched document — parseFeed, then
 * processFeed (normalise, dedupe against the seen set, match 50 topics, archive, decide each new
 * item's story, queue the deliveries, mark seen) on a real SQLite store — against rss-parser's `parseString` alone on the
 * same text, the least any RSS bot must spend. Both run on the same generated documents (20
 * news-length items each, English and Russian, RSS and Atom), alternating which goes first; each
 * repetition is a pass over every document, and the figures are medians over repetitions.
 *
 * Every document is processed as a new, already primed feed, so all its items are new and take
 * the full path, deliveries included (what a poll that finds news does); the outbox is emptied
 * between repetitions, as the drain would. The breakdown comes from timing the stores, the
 * matcher and parseFeed as processFeed calls them; "normalize and the rest" is what is left.
 * A note adds the outbox's cost per delivery at 100 and at 10,000 pending (outbox-backlog.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Parser from 'rss-parser';
import type { PolledFeed } from '../src/domain/feed';
import { createLiveCatalog } from '../src/catalog/live-catalog';
import { memoryLogger } from '../src/log';
import { parseFeed } from '../src/feeds/parse';
import { createArchiveRepo } from '../src/store/archive';
import { createFeedStateRepo } from '../src/store/feed-state';
import { openStore } from '../src/store/kv';
import { createOutboxRepo } from '../src/store/outbox';
import { createPostBudgetRepo } from '../src/store/post-budget';
import { createSeenRepo } from '../src/store/seen';
import { createStoryIndex } from '../src/store/story-index';
import { createStoryPostsRepo } from '../src/store/story-posts';
import { processFeed, type FeedStores, type ProcessContext } from '../src/worker/process-feed';
import { consoleRouter } from '../src/delivery/console-router';
import { feedDocument, formatOf } from './support/feed-doc';
import { type BacklogCost, outboxBacklogCost } from './support/outbox-backlog';
import { median, spread, times } from './support/stats';
import { Stopwatch } from './support/stopwatch';
import { benchTopics } from './support/topics';
import type { Bench } from './types';

const SEED = 20211015;
const DAY_MS = 86_400_000;
const RETENTION_MS = 180 * DAY_MS;
const ITEMS = 20;
/** The stages, in pipeline order, with the labels the stopwatch records them under. */
const STAGES: Array<[label: string, name: string]> = [
  ['parse', 'parse (parseFeed: rss-parser + our fields)'],
  ['normalize', 'normalize and the rest (html→text, keys, dates)'],
  ['dedupe', 'dedupe (seen set: classify + mark)'],
  ['match', 'match (50 topics)'],
  ['archive', 'archive put (record + day lists)'],
  ['story', 'story (decide, record; the story posts read)'],
  ['outbox', 'route + outbox add'],
  ['state', 'feed state (primed?)'],
];

interface Pass {
  floorUs: number;
  subjectUs: number;
  stages: Map<string, number>;
}

async function withStore<T>(use: (stores: FeedStores, watch: Stopwatch) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'briefing-bench-pipeline-'));
  const kv = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  const watch = new Stopwatch();
  try {
    return await use(
      {
        seen: watch.methods(
          'dedupe',
          createSeenRepo(kv, { ttlMs: RETENTION_MS, clock: () => new Date() }),
        ),
        archive: watch.methods('archive', createArchiveRepo(kv, { retentionMs: RETENTION_MS })),
        outbox: watch.methods('outbox', createOutboxRepo(kv)),
        feedState: watch.methods('state', createFeedStateRepo(kv)),
        // The bench measures the pipeline on every new item, not the flood guard's folding.
        budget: createPostBudgetRepo(kv, { perPoll: ITEMS, perChannelPerHour: 1_000_000 }),
        // As the bot runs it (src/app.ts): every new item is filed under its story.
        stories: {
          stories: watch.methods('story', createStoryIndex(kv, { retentionMs: RETENTION_MS })),
          posts: watch.methods('story', createStoryPostsRepo(kv, { retentionMs: RETENTION_MS })),
        },
      },
      watch,
    );
  } finally {
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const run: Bench = async ({ quick }) => {
  const docCount = quick ? 10 : 40;
  const reps = quick ? 3 : 7;
  const topics = await benchTopics(50, SEED);
  const catalog = createLiveCatalog({ feeds: [], topics });
  const newestMs = Date.now() - 3_600_000;
  const docs = Array.from({ length: docCount }, (_, d) =>
    feedDocument({
      seed: SEED,
      feedId: `doc-${d}`,
      version: 0,
      items: ITEMS,
      newestMs,
      format: formatOf(d),
    }),
  );
  const bytesPerItem = docs.reduce((s, d) => s + Buffer.byteLength(d), 0) / (docCount * ITEMS);
  const floorParser = new Parser();

  const passes = await withStore(async (stores, watch) => {
    const ctxBase = {
      stores,
      logger: memoryLogger('error'),
      match: watch.wrap('match', (item: Parameters<ProcessContext['match']>[0]) =>
        catalog.match(item),
      ),
      route: watch.wrap(
        'outbox',
        consoleRouter(() => true),
      ),
    };
    const subject = async (doc: string, feed: PolledFeed) => {
      await stores.feedState.markPrimed(feed.id);
      watch.take(); // the priming write above is set-up, not pipeline
      const now = new Date();
      const t0 = performance.now();
      const raw = await watch.wrap('parse', parseFeed)(doc, feed.url);
      const outcome = await processFeed(feed, raw, {
        ...ctxBase,
        now,
        deliverAfter: new Date(now.getTime() - RETENTION_MS + DAY_MS),
      });
      if (outcome.fresh !== ITEMS)
        throw new Error(`expected ${ITEMS} new items, got ${outcome.fresh}`);
      return { ms: performance.now() - t0, stages: watch.take() };
    };
    const floor = async (doc: string) => {
      const t0 = performance.now();
      await floorParser.parseString(doc);
      return performance.now() - t0;
    };

    const out: Pass[] = [];
    // Pass 0 warms the JIT, the SQLite page cache and the matcher; it is not reported.
    for (let rep = 0; rep <= reps; rep++) {
      let floorMs = 0;
      let subjectMs = 0;
      const stages = new Map<string, number>();
      for (const [d, doc] of docs.entries()) {
        const feed: PolledFeed = {
          id: `r${rep}-d${d}`,
          url: `https://news.example/doc-${d}.xml`,
          interval: 600_000,
          backfill: 0,
          trust: 'trusted',
        };
        const subjectFirst = (rep + d) % 2 === 0;
        if (!subjectFirst) floorMs += await floor(doc);
        const s = await subject(doc, feed);
        if (subjectFirst) floorMs += await floor(doc);
        subjectMs += s.ms;
        for (const [label, ms] of s.stages) stages.set(label, (stages.get(label) ?? 0) + ms);
      }
      for (const delivery of await stores.outbox.pending()) await stores.outbox.remove(delivery.id);
      watch.take();
      if (rep === 0) continue;
      const items = docCount * ITEMS;
      const known = [...stages.values()].reduce((a, b) => a + b, 0);
      stages.set('normalize', subjectMs - known);
      out.push({
        floorUs: (floorMs * 1000) / items,
        subjectUs: (subjectMs * 1000) / items,
        stages: new Map([...stages].map(([k, ms]) => [k, (ms * 1000) / items])),
      });
    }
    return out;
  });

  // The outbox's cost per delivery must not grow with the backlog (a paused channel, waiting
  // digests, Discord down): the same polls of 20 at 100 and at 10,000 pending, side by side.
  const backlogs = [100, 10_000];
  const backlog: BacklogCost[] = [];
  for (const size of backlogs)
    backlog.push(await outboxBacklogCost(createOutboxRepo, size, quick ? 10 : 40));
  const perDelivery = (pick: (c: BacklogCost) => [us: number[], bytes: number]) =>
    backlog
      .map((c, i) => {
        const [us, bytes] = pick(c);
        return `${Math.round(median(us))} µs, ${Math.round(bytes)} B at ${backlogs[i]!.toLocaleString('en')}`;
      })
      .join('; ');

  const floorUs = passes.map((p) => p.floorUs);
  const subjectUs = passes.map((p) => p.subjectUs);
  const ratios = passes.map((p) => p.subjectUs / p.floorUs);
  const floorMedian = median(floorUs);
  const total = median(subjectUs);
  const row = (measure: string, us: number[], vsFloor: string) => ({
    measure,
    'µs/item (median)': Math.round(median(us)),
    'min–max': spread(us),
    'vs floor': vsFloor,
  });
  const stageRows = STAGES.map(([label, name]) => {
    const us = passes.map((p) => p.stages.get(label) ?? 0);
    return row(`  · ${name}`, us, `${Math.round((median(us) / total) * 100)} % of pipeline`);
  });
  const top = [...stageRows].sort((a, b) => b['µs/item (median)'] - a['µs/item (median)'])[0];
  return {
    title:
      'Pipeline cost per item: parse + normalize + dedupe + match + archive + story vs rss-parser alone',
    rows: [
      row('rss-parser parseString alone (floor)', floorUs, '1.00x'),
      row('pipeline: parseFeed + processFeed, SQLite', subjectUs, times(median(ratios))),
      ...stageRows,
    ],
    notes: [
      `ratio pipeline/floor: median ${times(median(ratios))} over ${reps} passes (${spread(ratios, 2)}); floor ${Math.round(floorMedian)} µs/item.`,
      `${docCount} documents x ${ITEMS} items (${Math.round(bytesPerItem)} bytes of feed per item; 80 % RSS with content:encoded, 10 % RSS description, 10 % Atom; 60 % English, 40 % Russian); 50 topics.`,
      `Largest stage: ${top?.measure.replace(/^\s*· /, '')} (${top?.['vs floor']}).`,
      `Outbox with a backlog, per delivery (median µs and bytes written, over ${quick ? 10 : 40} polls of 20 added and as many of the oldest removed), by deliveries pending — add: ${perDelivery((c) => [c.addUs, c.addBytes])}; remove: ${perDelivery((c) => [c.removeUs, c.removeBytes])}.`,
    ],
  };
};
