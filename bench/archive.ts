/**
 * Archive query latency at 10k, 100k and 1M items on the SQLite store: a 7-day topic query and a
 * 30-day text query, p50/p99, and how much slower the largest archive is than the smallest. The
 * goal is a ratio near 1: a query costs what its result costs, not what the archive holds.
 *
 * Archives are generated through the real repository `put`, in batches of 20 items of one feed
 * (a busy feed's poll), spread evenly over 180 days: titles of about 10 words and descriptions of
 * about 30, 60 % English and 40 % Russian (Russian names inflected), bodies of about 1.5 KB, common
 * words and place names Zipf-distributed with a long tail of rare names, and five topics matched
 * by 0.2–8 % of items (assigned at random: the archive stores matches, it does not compute them).
 * They are cached in bench/.cache/ by size and seed, so only the first run pays for generation.
 */
import { LATIN_SYLLABLES } from './support/syllables';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Item } from '../src/domain/item';
import { createQueryService, type ArchiveQuery } from '../src/query/archive-query';
import { createStoryQuery } from '../src/query/story-query';
import { createStoryIndex } from '../src/store/story-index';
import { createArchiveRepo, type ArchiveRepo } from '../src/store/archive';
import { openStore, type KV } from '../src/store/kv';
import type { Match } from '../src/domain/match';
import type { Bench } from './types';
import { seeded } from './support/random';

const SEED = 20211015;
/** Bump when the archive's storage layout changes, so stale caches are not measured. */
const LAYOUT = 4;
const DAY = 86_400_000;
const END = Date.parse('2026-06-30T00:00:00Z');
const SPAN_DAYS = 180;
const BATCH = 20;
const FEEDS = 40;
const TOPICS = [
  { id: 'energy', p: 0.08 },
  { id: 'security', p: 0.03 },
  { id: 'water', p: 0.01 },
  { id: 'un-ct', p: 0.005 },
  { id: 'elections', p: 0.002 },
];

const EN =
  `the of and to in a for on that with said was is by at from as it has have will be were government
minister president officials meeting talks cooperation security country countries regional agreement sides
discussed issues development support international economic new year week statement also according ministry
foreign affairs state national people their which its after during about more than other gas pipeline energy
water trade transport corridor border investment project bank loan railway elections parliament court
prisoners extremism police military exercises drought harvest wheat cotton prices inflation currency`.split(
    /\s+/,
  );
const RU =
  `и в на с по что для о из как это было будет также глава министр президент правительство встреча
переговоры сотрудничество безопасность страны регион соглашение стороны обсудили вопросы развитие поддержка
международный экономический году заявил министерство иностранных дел государство национальный после более
газ трубопровод энергетика вода торговля транспорт граница инвестиции проект банк выборы парламент суд`.split(
    /\s+/,
  );
const PLACES_EN =
  'Kazakhstan Uzbekistan Tajikistan Kyrgyzstan Turkmenistan Astana Tashkent Dushanbe Bishkek Ashgabat Almaty Samarkand Russia China Afghanistan Iran Turkey EU UN UNODC OSCE'.split(
    ' ',
  );
const PLACES_RU =
  'Казахстан Узбекистан Таджикистан Кыргызстан Туркменистан Ташкент Душанбе Бишкек Ашхабад Самарканд'.split(
    ' ',
  );
const RU_CASES = ['', 'а', 'у', 'ом', 'е'];
const SYLLABLES = LATIN_SYLLABLES;

/** The vocabulary (from its own seed), and a function drawing words from it. */
function makeWorld(seed: number) {
  const setup = seeded(seed).next;
  const pick = <T>(rand: () => number, xs: T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const names = Array.from({ length: 20_000 }, () => {
    const w = Array.from({ length: 2 + Math.floor(setup() * 3) }, () =>
      pick(setup, SYLLABLES),
    ).join('');
    return w.charAt(0).toUpperCase() + w.slice(1);
  });
  const word = (rand: () => number, ru: boolean) => {
    const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1)) - 1));
    const r = rand();
    if (r < 0.06)
      return ru
        ? `${PLACES_RU[zipf(PLACES_RU.length)]}${pick(rand, RU_CASES)}`
        : (PLACES_EN[zipf(PLACES_EN.length)] as string);
    if (r < 0.14) return names[zipf(names.length)] as string;
    return (ru ? RU : EN)[zipf((ru ? RU : EN).length)] as string;
  };
  return (rand: () => number, ru: boolean, n: number) =>
    Array.from({ length: n }, () => word(rand, ru)).join(' ');
}

/** The items of an archive of `size` items, in time order, batch by batch. */
function* batches(size: number): Generator<Array<{ item: Item; matches: Match[] }>> {
  const words = makeWorld(SEED);
  const rand = seeded(SEED + 1).next;
  const start = END - SPAN_DAYS * DAY;
  for (let n = 0; n < size; n += BATCH) {
    const feedId = `feed-${Math.floor(rand() * FEEDS)}`;
    yield Array.from({ length: Math.min(BATCH, size - n) }, (_, i) => {
      const ru = rand() < 0.4;
      const at = new Date(start + ((n + i + rand()) / size) * SPAN_DAYS * DAY).toISOString();
      const title = words(rand, ru, 8 + Math.floor(rand() * 5));
      const item: Item = {
        key: `k${SEED}-${n + i}`,
        storyKey: `l:bench.example/${n + i}`,
        feedId,
        link: `https://bench.example/${feedId}/${n + i}`,
        title: title.charAt(0).toUpperCase() + title.slice(1),
        description: words(rand, ru, 25 + Math.floor(rand() * 10)),
        text: words(rand, ru, 180 + Math.floor(rand() * 60)),
        categories: [],
        publishedAt: at,
        fetchedAt: at,
        lang: ru ? 'ru' : 'en',
      };
      const matches = TOPICS.filter((t) => rand() < t.p).map((t) => ({
        topicId: t.id,
        score: 3,
        hits: [{ term: t.id, field: 'title' as const }],
      }));
      return { item, matches };
    });
  }
}

const RETENTION = SPAN_DAYS * DAY;

/** The cached archive of `size` items, generated through `put` if it is not there yet. */
async function archiveOf(
  size: number,
): Promise<{ kv: KV; archive: ArchiveRepo; generated: string; file: string }> {
  const dir = join(import.meta.dirname, '.cache');
  const file = join(dir, `archive-v${LAYOUT}-${size}-${SEED}.sqlite`);
  await mkdir(dir, { recursive: true });
  let kv = await openStore(`sqlite://${file}`);
  const cached = await kv.get<{ generatedS: number }>('bench:complete');
  if (cached)
    return {
      kv,
      archive: createArchiveRepo(kv, { retentionMs: RETENTION }),
      generated: `cached (${Math.round(cached.generatedS)} s)`,
      file,
    };
  await kv.close();
  for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
  kv = await openStore(`sqlite://${file}`);
  const archive = createArchiveRepo(kv, { retentionMs: RETENTION });
  const t0 = performance.now();
  // One batch at a time, as one worker writes them (writing parts side by side was slower).
  for (const batch of batches(size)) await archive.put(batch);
  // As the bot's hourly prune does: days that have ended keep no word postings pending.
  await archive.prune(new Date(END));
  const generatedS = (performance.now() - t0) / 1000;
  await kv.set('bench:complete', { size, generatedS });
  return { kv, archive, generated: `${Math.round(generatedS)} s`, file };
}

const TEXTS = ['Kazakhstan', 'gas pipeline', 'Узбекистан', 'water border', 'UN'];
const PHRASE = '"gas pipeline"';

/** Queries run before timing, per kind and size: the JIT and SQLite's page cache warm up on them. */
const WARMUP = 30;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** How a query is answered: as items, or grouped by story. */
type Listing = (archive: ArchiveRepo, now: Date) => (q: ArchiveQuery) => Promise<{ total: number }>;

const byItems: Listing = (archive, now) => {
  const service = createQueryService(archive, { now: () => now });
  return (q) => service.query(q);
};

/** By story, with the story index of the same store (the generated archive has no story records). */
const byStories =
  (kv: KV): Listing =>
  (archive, now) => {
    const stories = createStoryQuery({
      query: createQueryService(archive, { now: () => now }),
      archive,
      stories: createStoryIndex(kv, { retentionMs: RETENTION }),
      now: () => now,
    });
    return (q) => stories.query(q);
  };

async function measure(
  archive: ArchiveRepo,
  count: number,
  make: (rand: () => number, now: Date) => ArchiveQuery,
  seed: number,
  listing: Listing = byItems,
) {
  const rand = seeded(seed).next;
  const times: number[] = [];
  let totals = 0;
  for (let i = 0; i < WARMUP + count; i++) {
    // Each query at a different "now" in the last 60 days, so it reads different days.
    const now = new Date(END - rand() * 60 * DAY);
    const query = listing(archive, now);
    const q = make(rand, now);
    const t0 = performance.now();
    const page = await query(q);
    if (i >= WARMUP) times.push(performance.now() - t0);
    totals += page.total;
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    avgTotal: Math.round(totals / (WARMUP + count)),
  };
}

const ms = (x: number) => Number(x.toFixed(2));

export const run: Bench = async ({ quick }) => {
  // Quick stays under a minute from a fresh clone, generation included (50k items take ~15 s).
  const sizes = quick ? [10_000, 50_000] : [10_000, 100_000, 1_000_000];
  const count = quick ? 100 : 500;
  const rows: Array<Record<string, string | number>> = [];
  const latency = new Map<
    number,
    { topic: { p50: number; p99: number }; text: { p50: number; p99: number } }
  >();
  for (const size of sizes) {
    const { kv, archive, generated, file } = await archiveOf(size);
    try {
      const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY);
      const topic = await measure(
        archive,
        count,
        (r, now) => ({ topics: [TOPICS[Math.floor(r() * 3)]!.id], since: ago(now, 7), limit: 10 }),
        1,
      );
      const byStory = await measure(
        archive,
        count,
        (r, now) => ({ topics: [TOPICS[Math.floor(r() * 3)]!.id], since: ago(now, 7), limit: 10 }),
        1,
        byStories(kv),
      );
      const text = await measure(
        archive,
        count,
        (r, now) => ({
          text: TEXTS[Math.floor(r() * TEXTS.length)]!,
          since: ago(now, 30),
          limit: 10,
        }),
        2,
      );
      const phrase = await measure(
        archive,
        Math.ceil(count / 4),
        (_, now) => ({ text: PHRASE, since: ago(now, 30), limit: 10 }),
        3,
      );
      latency.set(size, { topic, text });
      rows.push({
        items: size,
        generated,
        'db MB': Math.round(
          statSync(file).size / 2 ** 20 +
            (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size / 2 ** 20 : 0),
        ),
        '7d topic p50/p99 ms': `${ms(topic.p50)} / ${ms(topic.p99)}`,
        '7d topic avg total': topic.avgTotal,
        '7d topic by story p50/p99 ms': `${ms(byStory.p50)} / ${ms(byStory.p99)}`,
        '30d text p50/p99 ms': `${ms(text.p50)} / ${ms(text.p99)}`,
        '30d text avg total': text.avgTotal,
        '30d phrase p50/p99 ms': `${ms(phrase.p50)} / ${ms(phrase.p99)}`,
        '30d phrase avg total': phrase.avgTotal,
      });
    } finally {
      await kv.close();
    }
  }
  const [small, large] = [sizes[0]!, sizes.at(-1)!];
  const ratio = (k: 'topic' | 'text', p: 'p50' | 'p99') =>
    (latency.get(large)![k][p] / latency.get(small)![k][p]).toFixed(2);
  return {
    title: 'Archive queries on SQLite: latency against archive size',
    rows,
    notes: [
      `Ratio ${large / 1000}k/${small / 1000}k items, p50 (p99): 7-day topic ${ratio('topic', 'p50')}x (${ratio('topic', 'p99')}x), ` +
        `30-day text ${ratio('text', 'p50')}x (${ratio('text', 'p99')}x); goal <= 2.`,
      `${count} queries per kind and size after ${WARMUP} unmeasured, limit 10, each at a different "now" in the archive's last 60 days.`,
      `Topic queries: one of three topics matched by 1-8 % of items. Text: ${TEXTS.map((t) => JSON.stringify(t)).join(', ')}.`,
      "By story: the same topic queries listing 10 stories (story-query.ts) with the story index of the same store; the generated archive has no story records, so each item is a story of its own: the figure is the cost of grouping (reading each item's story), not of loading other sources.",
      `The phrase ${PHRASE} is checked item by item (the word lists cannot tell adjacency): its cost follows the candidates.`,
      `Archives: batches of ${BATCH} items per put over ${SPAN_DAYS} days; cached in bench/.cache/.`,
    ],
  };
};
