/**
 * Topic matching throughput at 10, 100 and 1,000 topics: the compiled matcher (one inverted index
 * over all topics) against a naive baseline measured in the same run, which tests every topic's
 * regexes in turn over the item text (what keyword bots do).
 *
 * Items and topics are generated from a seeded vocabulary so runs are comparable: items are
 * news-length (title, 30-word description, a body of about 5 KB), 60 % English and 40 % Russian, made of
 * common words with named entities sprinkled in (Zipf-distributed, as in real news); topics are
 * random queries over those entities and 20 shared groups (phrases, prefixes, NEAR, fields, NOT).
 * The baseline treats NEAR as AND and does not stem, so it does less work per topic than the
 * matcher. (One alternation regex per group was tried and was slower in V8 than one regex per entry.)
 *
 * The three matchers are warmed on every item first (the JIT, and the tokenizer's word cache),
 * then timed in rounds that rotate which size goes first; the median round is reported, with the
 * spread. Each size's baseline is built, timed and dropped after the matchers: thousands of live
 * regexes on the heap would slow the matcher's garbage collections and bill it for the baseline.
 */
import { LATIN_SYLLABLES } from './support/syllables';
import { compileTopics } from '../src/topics/compile';
import type { QueryNode } from '../src/topics/ast';
import { parseGroupEntry, parseQuery } from '../src/topics/query-parser';
import type { Groups, TopicDef } from '../src/topics/schema';
import type { MatchDoc } from '../src/domain/match';
import type { Bench } from './types';
import { seeded } from './support/random';
import { median, spread } from './support/stats';

const EN_COMMON =
  `the of and to in a for on that with said was is by at from as it has have will be were
government minister president officials meeting talks cooperation security country countries region regional
agreement sides discussed issues development support international economic new year week statement also
according ministry foreign affairs state national people their which its after during about more than other`.split(
    /\s+/,
  );
const RU_COMMON =
  `и в на с по что для о из как это было будет также глава министр президент правительство встреча
переговоры сотрудничество безопасность страны регион соглашение стороны обсудили вопросы развитие поддержка
международный экономический году заявил министерство иностранных дел государство национальный после более`.split(
    /\s+/,
  );
const LATIN = LATIN_SYLLABLES;
const CYR = [
  'ка',
  'ра',
  'то',
  'ми',
  'шо',
  'бек',
  'ан',
  'дар',
  'ул',
  'стан',
  'ни',
  'ко',
  'та',
  'жан',
  'гул',
  'ар',
];

interface World {
  entities: string[];
  groups: Groups;
  rand: () => number;
}

function makeWorld(seed: number): World {
  const rand = seeded(seed).next;
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const names = new Set<string>();
  while (names.size < 4000) {
    const syl = names.size % 5 < 3 ? LATIN : CYR;
    const word = Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(syl)).join('');
    names.add(word.charAt(0).toUpperCase() + word.slice(1));
  }
  const entities = [...names];
  const groups: Groups = {};
  for (let g = 0; g < 20; g++) {
    groups[`g${g}`] = Array.from({ length: 10 + Math.floor(rand() * 20) }, (_, i) => {
      const e = pick(entities);
      return i % 7 === 3 ? `${e.slice(0, 5)}*` : i % 5 === 1 ? `${e} ${pick(entities)}` : e;
    });
  }
  return { entities, groups, rand };
}

/** Zipf-ish rank: small ranks are much more frequent. */
function zipf(rand: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1)) - 1));
}

function makeItem(w: World): MatchDoc {
  const ru = w.rand() < 0.4;
  const common = ru ? RU_COMMON : EN_COMMON;
  const words = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const word =
        w.rand() < 0.07
          ? (w.entities[zipf(w.rand, w.entities.length)] as string)
          : (common[Math.floor(w.rand() * common.length)] as string);
      return i % 18 === 17 ? `${word}.` : word;
    }).join(' ');
  return { title: words(10), description: words(30), text: words(ru ? 420 : 700) };
}

function makeTopics(w: World, n: number): TopicDef[] {
  const e = () => w.entities[Math.floor(w.rand() * w.entities.length)] as string;
  const g = () => `@g${Math.floor(w.rand() * 20)}`;
  const shapes = [
    () => `${e()} ${e()}`,
    () => `"${e()} ${e()}" OR ${e()}`,
    () => `(${g()} OR ${e()}) AND ${g()}`,
    () => `${e()} NEAR/5 ${e()}`,
    () => `title:${e()} OR ${e()} -${e()}`,
    () => `${g()} NEAR/8 (${e()} OR ${e().slice(0, 5)}*)`,
  ];
  return Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    name: `Topic ${i}`,
    query: (shapes[i % shapes.length] as () => string)(),
    minScore: 0,
  }));
}

/** The baseline: each term a regex with Unicode word boundaries, tested in turn. */
interface Views {
  title: string;
  summary: string;
  all: string;
}
type Test = (views: Views) => boolean;
const viewsOf = (d: MatchDoc): Views => ({
  title: d.title,
  summary: `${d.title}\n${d.description}`,
  all: `${d.title}\n${d.description}\n${d.text}`,
});

function termRegex(text: string): RegExp {
  const term = parseGroupEntry(text);
  const body = term.words
    .map((w) => (w.prefix ? `${w.raw}[\\p{L}\\p{N}]*` : w.raw))
    .join('[^\\p{L}\\p{N}]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu');
}

function naiveTopic(
  node: QueryNode,
  groups: Groups,
  scope: (v: Views) => string = (v) => v.all,
): Test {
  const rec = (n: QueryNode) => naiveTopic(n, groups, scope);
  switch (node.type) {
    case 'term': {
      const re = termRegex(node.words.map((x) => x.raw + (x.prefix ? '*' : '')).join(' '));
      return (d) => re.test(scope(d));
    }
    case 'group': {
      const res = (groups[node.name] ?? []).map(termRegex);
      return (d) => res.some((re) => re.test(scope(d)));
    }
    case 'and': {
      const kids = node.children.map(rec);
      return (d) => kids.every((k) => k(d));
    }
    case 'or': {
      const kids = node.children.map(rec);
      return (d) => kids.some((k) => k(d));
    }
    case 'not': {
      const kid = rec(node.child);
      return (d) => !kid(d);
    }
    case 'near': {
      const [a, b] = [rec(node.left), rec(node.right)];
      return (d) => a(d) && b(d);
    }
    case 'field':
      return naiveTopic(
        node.child,
        groups,
        node.field === 'title'
          ? (v) => v.title
          : node.field === 'summary'
            ? (v) => v.summary
            : scope,
      );
    case 'scope':
      throw new Error('the generated topics have no scopes');
  }
}

/** Items per second, running over `items` until `minMs` have passed and at least 3 items are done. */
function throughput(
  items: MatchDoc[],
  run: (d: MatchDoc) => number,
  minMs: number,
): { perSec: number; matches: number } {
  let done = 0;
  let matches = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || done < 3) {
    matches += run(items[done % items.length] as MatchDoc);
    done++;
  }
  return { perSec: done / ((performance.now() - t0) / 1000), matches: matches / done };
}

export const run: Bench = async ({ quick }) => {
  const world = makeWorld(20211015);
  const items = Array.from({ length: quick ? 40 : 200 }, () => makeItem(world));
  const minMs = quick ? 300 : 800;
  const rounds = quick ? 1 : 5;
  const sizes = [10, 100, 1000];
  const topicSets = sizes.map((n) => makeTopics(world, n));

  const matchers = topicSets.map((topics) => compileTopics(topics, world.groups));
  for (const matcher of matchers) for (const d of items) matcher.match(d);
  const timings = sizes.map(() => [] as Array<{ perSec: number; matches: number }>);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < sizes.length; k++) {
      const i = (k + round) % sizes.length;
      const matcher = matchers[i]!;
      timings[i]!.push(throughput(items, (d) => matcher.match(d).length, minMs));
    }
  }

  const baselines = topicSets.map((topics) => {
    const naive = topics.map((t) => naiveTopic(parseQuery(t.query), world.groups));
    const runNaive = (d: MatchDoc) => {
      const views = viewsOf(d);
      return naive.filter((t) => t(views)).length;
    };
    // V8 compiles each regex on first use: warmed before timing.
    throughput(items.slice(0, 10), runNaive, 50);
    return throughput(items, runNaive, quick ? 300 : 1500);
  });

  const perSec = new Map<number, number>();
  const rows = sizes.map((n, i) => {
    const fast = median(timings[i]!.map((t) => t.perSec));
    const slow = baselines[i]!;
    perSec.set(n, fast);
    return {
      topics: n,
      'matcher items/s': Math.round(fast),
      'matcher µs/item': Math.round(1e6 / fast),
      'µs/item min–max': spread(timings[i]!.map((t) => 1e6 / t.perSec)),
      'baseline items/s': Math.round(slow.perSec),
      speedup: `${(fast / slow.perSec).toFixed(1)}x`,
      'matches/item (matcher, baseline)': `${timings[i]![0]!.matches.toFixed(2)}, ${slow.matches.toFixed(2)}`,
    };
  });
  const avgBytes = Math.round(
    items.reduce((s, d) => s + Buffer.byteLength(d.text), 0) / items.length,
  );
  const ratio = (perSec.get(10) ?? 0) / (perSec.get(1000) ?? 1);
  const last = rows.at(-1);
  return {
    title: 'Topic matching: compiled inverted index vs regexes per topic',
    rows,
    notes: [
      `${items.length} generated items, body ${avgBytes} bytes on average, 60 % English / 40 % Russian; 20 shared groups.`,
      `Matcher: median of ${rounds} rounds of at least ${minMs} ms per size, rotating which size goes first; baseline: one run per size, after the matchers.`,
      `Matcher cost 1000 vs 10 topics: ${ratio.toFixed(2)}x slower per item (100x more topics).`,
      `Speedup over the regex baseline at 1000 topics: ${String(last?.speedup)}.`,
      `Goal: a ~5 KB item against 1000 topics in about a millisecond or less — ${String(last?.['matcher µs/item'])} µs per item.`,
      'Matches differ between the two: the baseline does not stem and treats NEAR as AND.',
    ],
  };
};
