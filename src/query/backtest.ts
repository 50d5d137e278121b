/**
 * "What would this topic have matched?" — one topic (or an ad-hoc query) run over the archive's
 * items of a past range, to tune a query before it posts anything. An admin tool, so it may read
 * every item in range; it streams day by day, newest first, holding only one batch of items and
 * the few results it reports.
 *
 * The topic is compiled with a minimum score of 0, so items the query matches but scores under
 * the topic's minScore come out too: those near misses, with the weakest real matches, are the
 * borderline cases that show where the threshold cuts.
 */
import { QueryError } from '../errors';
import { dayStart, unpackSlot, type Archived, type ArchiveRepo } from '../store/archive';
import { dayOf } from '../store/archive-slot';
import { compileTopics } from '../topics/compile';
import { explainMatch } from '../topics/explain';
import { DEFAULT_MIN_SCORE, type Groups, type TopicDef } from '../topics/schema';

export interface BacktestHit {
  archived: Archived;
  score: number;
  /** The one-line reason, as a post would give it. */
  why: string;
  /** Scored under the topic's minScore: the query matched, but nothing would have been posted. */
  missed: boolean;
}

export interface BacktestResult {
  topic: TopicDef;
  /** Items read. */
  scanned: number;
  /** Items that would have been posted (score at or above minScore). */
  matched: number;
  /** The five highest scores. */
  best: BacktestHit[];
  /** The five lowest scores that still match, then the five best near misses. */
  borderline: BacktestHit[];
}

export interface BacktestOptions {
  archive: ArchiveRepo;
  /** A topic, or a query to try as one (with the default minScore). */
  topic: TopicDef | string;
  groups: Groups;
  since: Date;
  now: Date;
  /** Read at most this many items, newest first. @default every item in range */
  sample?: number;
}

const SHOWN = 5;
const BATCH = 200;

export function adHocTopic(query: string): TopicDef {
  return { id: 'ad-hoc', name: query, query, minScore: DEFAULT_MIN_SCORE };
}

/** Keeps the `SHOWN` hits that sort first; ties go to the newer item (seen first). */
function keep(
  list: BacktestHit[],
  hit: BacktestHit,
  before: (a: BacktestHit, b: BacktestHit) => number,
): void {
  if (list.length === SHOWN && before(hit, list[SHOWN - 1]!) >= 0) return;
  list.push(hit);
  list.sort(before);
  if (list.length > SHOWN) list.pop();
}

/** Compiles the topic to score every item the query matches; an ad-hoc query's errors name no topic. */
function compileOne(topic: TopicDef, adHoc: boolean, groups: Groups) {
  try {
    return compileTopics([{ ...topic, minScore: 0 }], groups);
  } catch (e) {
    if (adHoc && e instanceof QueryError)
      throw new QueryError(e.message.replace(`Topic ${topic.id}: `, ''), e.query, e.offset);
    throw e;
  }
}

export async function backtestTopic(options: BacktestOptions): Promise<BacktestResult> {
  const { archive, since, now } = options;
  const topic = typeof options.topic === 'string' ? adHocTopic(options.topic) : options.topic;
  const matcher = compileOne(topic, typeof options.topic === 'string', options.groups);
  const limit = options.sample ?? Infinity;
  const best: BacktestHit[] = [];
  const weakest: BacktestHit[] = [];
  const nearMisses: BacktestHit[] = [];
  let scanned = 0;
  let matched = 0;

  for (const day of (await archive.days(dayOf(since.getTime()), dayOf(now.getTime()))).reverse()) {
    const [packed = new Float64Array()] = await archive.entries([{ day, index: { kind: 'all' } }]);
    const start = dayStart(day);
    const inRange = Array.from(packed, (p) => unpackSlot(p, day, start))
      .filter((s) => s.ms >= since.getTime() && s.ms <= now.getTime())
      .sort((a, b) => b.ms - a.ms);
    for (let at = 0; at < inRange.length && scanned < limit; at += BATCH) {
      const batch = inRange.slice(at, Math.min(at + BATCH, at + limit - scanned));
      for (const archived of await archive.load(batch)) {
        if (!archived) continue;
        scanned++;
        const match = matcher.match(archived.item)[0];
        if (!match) continue;
        const hit = {
          archived,
          score: match.score,
          why: explainMatch(match),
          missed: match.score < topic.minScore,
        };
        if (hit.missed) {
          keep(nearMisses, hit, (a, b) => b.score - a.score);
          continue;
        }
        matched++;
        keep(best, hit, (a, b) => b.score - a.score);
        keep(weakest, hit, (a, b) => a.score - b.score);
      }
    }
    if (scanned >= limit) break;
  }
  return { topic, scanned, matched, best, borderline: [...weakest, ...nearMisses] };
}
