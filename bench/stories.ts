/**
 * What deciding an item's story costs, with 10k and 1M items in the story index side by side (30k
 * with --quick): the pure part (headline and lead → weighted terms → MinHash bands) and the whole
 * `assign` on a real SQLite store (read the window days' log lengths and the capped candidates
 * the window in memory names, compare, then one update that reads the items' decisions and writes
 * them with the members and the stories). The goal is a ratio near 1: a decision reads a bounded
 * number of members, never the archive; the first one after a start also loads the window's days,
 * reported apart.
 *
 * Indexes are spread evenly over 180 days, as the archive bench's are, from the news generator's
 * headlines and leads (60 % English, see fresh()), a third of them reprints of an item of the same
 * day under another link and headline wording, so stories have several sources. They are written
 * day by day through `dayIndexRecords` and `setMany` in large batches, and cached in bench/.cache/
 * by size and seed. Each run then assigns items of the index's last day: new ones and reprints of
 * that day's items, on a scratch copy of the cached index, so every run measures the same index.
 */
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Item } from '../src/domain/item';
import { type StoryFeatures, storyFeatures } from '../src/stories/features';
import { DAY_MS, dayOf } from '../src/store/archive-slot';
import { openStore, type KV } from '../src/store/kv';
import { createStoryIndex, type StoryIndex } from '../src/store/story-index';
import { dayIndexRecords } from '../src/store/story-index-records';
import { article } from './support/news-text';
import { type Random, seeded, seedOf } from './support/random';
import { median } from './support/stats';
import type { Bench } from './types';

const SEED = 20261207;
/** Bump when the story index's layout or the generated reports change, so stale caches are not measured. */
const LAYOUT = 5;
const END = Date.parse('2026-06-30T00:00:00Z');
const SPAN_DAYS = 180;
const REPRINT = 1 / 3;
const RETENTION_MS = SPAN_DAYS * DAY_MS;
/** Entries per setMany while generating: one statement each on SQLite. */
const WRITE_BATCH = 10_000;
/** Decisions made before timing, so the JIT and SQLite's page cache are warm. */
const WARMUP = 100;

interface Report {
  title: string;
  description: string;
}

/**
 * Headlines and leads to draw from. The generator writes whole articles (a millisecond each on a
 * busy machine), so a million reports are made from a pool of them, each given a name and a
 * figure of its own (below), which is what makes two reports of a template two events.
 */
const POOL = 5_000;
let pool: Report[] | undefined;
function poolReports(): Report[] {
  const r = seeded(SEED);
  pool ??= Array.from({ length: POOL }, () => {
    const a = article(r, r.chance(0.6) ? 'en' : 'ru');
    return { title: a.title, description: a.lead };
  });
  return pool;
}

const SYLLABLES = ['ka', 'ra', 'to', 'mi', 'sho', 'bek', 'an', 'dar', 'ul', 'ni', 'zhan', 'gul'];

/**
 * A new event: a pooled report with a name of its own and a figure in the headline, the figure
 * again in the lead (two events of one template then differ as two editions of a format do).
 */
function fresh(r: Random): Report {
  const base = r.pick(poolReports());
  const name = Array.from({ length: 3 }, () => r.pick(SYLLABLES)).join('');
  const figure = r.int(2, 99_999);
  return {
    title: `${name.charAt(0).toUpperCase()}${name.slice(1)}: ${base.title}, ${figure}`,
    description: `${base.description} The figure given was ${figure}.`,
  };
}

/** A day's reports, the same on every run: reprints retell an earlier report of that day. */
function dayReports(day: number, count: number): Report[] {
  const r = seeded(seedOf(SEED, day));
  const reports: Report[] = [];
  for (let i = 0; i < count; i++) {
    const earlier = reports.length > 0 && r.chance(REPRINT) ? r.pick(reports) : undefined;
    reports.push(earlier ? retold(r, earlier) : fresh(r));
  }
  return reports;
}

/** Another outlet's headline for the same report: a word or two dropped or moved. */
function retold(r: Random, report: Report): Report {
  const words = report.title.split(' ');
  if (words.length > 4) words.splice(r.int(1, words.length - 2), 1);
  return { title: words.join(' '), description: report.description };
}

const atOf = (day: number, i: number, count: number) =>
  END - (SPAN_DAYS - day) * DAY_MS + Math.floor(((i + 0.5) / count) * DAY_MS);

function itemOf(report: Report, key: string, at: number): Item {
  const publishedAt = new Date(at).toISOString();
  return {
    key,
    storyKey: `l:bench.example/${key}`,
    feedId: `feed-${key.length % 40}`,
    link: `https://bench.example/${key}`,
    title: report.title,
    description: report.description,
    text: '',
    categories: [],
    publishedAt,
    fetchedAt: publishedAt,
  };
}

/**
 * A copy of the cached index of `size` items (generated day by day if it is not there yet): a
 * run adds the items it measures, and the cache must hold the same index for every run.
 */
async function indexOf(
  size: number,
): Promise<{ kv: KV; generated: string; file: string; dispose: () => Promise<void> }> {
  const dir = join(import.meta.dirname, '.cache');
  const cache = join(dir, `stories-v${LAYOUT}-${size}-${SEED}.sqlite`);
  await mkdir(dir, { recursive: true });
  const generated = await ensureCached(cache, size);
  const scratch = await mkdtemp(join(tmpdir(), 'briefing-bench-stories-'));
  const file = join(scratch, 'index.sqlite');
  await copyFile(cache, file);
  const kv = await openStore(`sqlite://${file}`);
  return {
    kv,
    generated,
    file,
    dispose: async () => {
      await kv.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** How the cache came to be: generated now (and how long it took), or found. */
async function ensureCached(file: string, size: number): Promise<string> {
  let kv = await openStore(`sqlite://${file}`);
  const cached = await kv.get<{ generatedS: number }>('bench:complete');
  await kv.close();
  if (cached) return `cached (${Math.round(cached.generatedS)} s)`;
  for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
  kv = await openStore(`sqlite://${file}`);
  const t0 = performance.now();
  const perDay = Math.ceil(size / SPAN_DAYS);
  const days: string[] = [];
  for (let day = 0; day < SPAN_DAYS; day++) {
    const reports = dayReports(day, perDay);
    const members: Array<{ features: StoryFeatures; storyId: string }> = [];
    // A reprint keeps its original's lead: the original's story is its story.
    const storyOfLead = new Map<string, string>();
    reports.forEach((report, i) => {
      const key = `b${day}-${i}`;
      const features = storyFeatures(itemOf(report, key, atOf(day, i, perDay)));
      const storyId = storyOfLead.get(report.description) ?? key;
      storyOfLead.set(report.description, storyId);
      members.push({ features, storyId });
    });
    const records = dayIndexRecords(dayOf(atOf(day, 0, perDay)), members);
    for (let at = 0; at < records.length; at += WRITE_BATCH)
      await kv.setMany(records.slice(at, at + WRITE_BATCH));
    days.push(dayOf(atOf(day, 0, perDay)));
  }
  await createStoryIndex(kv, { retentionMs: RETENTION_MS }).addDays(days);
  const generatedS = (performance.now() - t0) / 1000;
  await kv.set('bench:complete', { size, generatedS });
  // Closing checkpoints the write-ahead log into the file, so the file alone is the index.
  await kv.close();
  return `${Math.round(generatedS)} s`;
}

/** Items of the index's last day, new and reprinted, under keys no earlier run used. */
function sampleItems(size: number, count: number): Item[] {
  const lastDay = SPAN_DAYS - 1;
  const archived = dayReports(lastDay, Math.ceil(size / SPAN_DAYS));
  const r = seeded(seedOf(SEED, 'sample', Date.now()));
  const run = Date.now().toString(36);
  return Array.from({ length: count }, (_, i) => {
    const report = r.chance(REPRINT) ? retold(r, r.pick(archived)) : fresh(r);
    return itemOf(report, `m${run}-${i}`, atOf(lastDay, r.int(0, 999), 1000));
  });
}

/** Items decided per call: a feed's poll that brings news. */
const BATCH = 20;
/** Batches per turn: the sizes take turns, so load on a shared machine and the JIT hit both alike. */
const TURN = 5;

interface Subject {
  size: number;
  index: StoryIndex;
  items: Item[];
  /** Per item of each measured batch: what a poll pays per new item. */
  times: number[];
  /** The first batch, which loads the window's days into memory: what a restart pays once. */
  firstMs?: number;
  joined: number;
}

async function turn(s: Subject, from: number, measured: boolean): Promise<void> {
  for (let i = from; i < Math.min(s.items.length, from + TURN * BATCH); i += BATCH) {
    const t0 = performance.now();
    const out = await s.index.assign(s.items.slice(i, i + BATCH));
    s.firstMs ??= performance.now() - t0;
    if (!measured) continue;
    s.times.push(((performance.now() - t0) * 1000) / out.length);
    s.joined += out.filter((a) => !a.first).length;
  }
}

function figures(s: Subject) {
  const t0 = performance.now();
  for (const item of s.items) storyFeatures(item);
  const featuresUs = ((performance.now() - t0) * 1000) / s.items.length;
  const times = [...s.times].sort((a, b) => a - b);
  return {
    featuresUs,
    p50: median(times),
    p99: times[Math.floor(times.length * 0.99)] ?? NaN,
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    joined: s.joined / (times.length * BATCH),
  };
}

const us = (x: number) => Math.round(x);

export const run: Bench = async ({ quick }) => {
  const sizes = quick ? [10_000, 30_000] : [10_000, 1_000_000];
  const count = WARMUP + (quick ? 300 : 2000);
  const opened: Array<{ size: number } & Awaited<ReturnType<typeof indexOf>>> = [];
  for (const size of sizes) opened.push({ size, ...(await indexOf(size)) });
  try {
    const subjects: Subject[] = opened.map(({ size, kv }) => ({
      size,
      index: createStoryIndex(kv, { retentionMs: RETENTION_MS }),
      items: sampleItems(size, count),
      times: [],
      joined: 0,
    }));
    for (let from = 0; from < count; from += TURN * BATCH)
      for (const s of subjects) await turn(s, from, from >= WARMUP);
    const rows = subjects.map((s, i) => {
      const m = figures(s);
      const { generated, file } = opened[i]!;
      return {
        items: s.size,
        generated,
        'db MB': Math.round(
          (statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0)) /
            2 ** 20,
        ),
        'features µs/item': us(m.featuresUs),
        'assign µs/item (mean)': us(m.mean),
        'per-batch p50 / p99 µs/item': `${us(m.p50)} / ${us(m.p99)}`,
        'joined a story': `${Math.round(m.joined * 100)} %`,
        'first batch ms': Math.round(s.firstMs ?? NaN),
      };
    });
    return {
      title: 'Stories: cost of deciding an item’s story against index size (SQLite)',
      rows,
      notes: [
        `${count - WARMUP} items per size after ${WARMUP} unmeasured, on the index's last day, in batches of ${BATCH} (a feed's poll), the sizes taking turns; about ${Math.round(REPRINT * 100)} % reprint an item of that day.`,
        '"assign" is the whole decision and its record: read the window days’ log lengths, the candidates its link and bands find in memory, the joined stories, compare, then one update that reads the items’ decisions and writes; its mean is total time over items.',
        '"first batch" (not in the mean) also loads the window’s days from the member log into memory, as the first decision after a start does.',
        `Indexes: ${SPAN_DAYS} days, written day by day through setMany; cached in bench/.cache/.`,
      ],
    };
  } finally {
    for (const { dispose } of opened) await dispose();
  }
};
