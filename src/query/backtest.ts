/**
 * "What would this topic have matched?" — one topic (or an ad-hoc query) run over the archive's
 * items of a past range, to tune a query before it posts anything. An admin tool, so it may read
 * every item in range; it streams day by day, newest first, holding only one batch of items and
 * the few results it reports.
 *
 * The topic is compiled with a minimum score of 0, so items the query matches but scores under
 * the topic's minScore come out too: those near misses, with the weakest real matches, are the
 * borderline cases that show where the threshold cuts. Items the query did not match at all are
 * explained clause by clause (explain-clauses.ts), and the five that came closest are reported
 * with why they missed: what an admin needs to fix a query that misses what it should match.
 */
import { QueryError, UserError } from '../errors';
import { dayStart, unpackSlot, type Archived, type ArchiveRepo } from '../store/archive';
import { dayOf } from '../store/archive-slot';
import { closestNames } from './did-you-mean';
import { compileTopics } from '../topics/compile';
import { explainMatch } from '../topics/explain';
import {
  type ClauseExplainer,
  clauseExplainer,
  closeness,
  renderClauses,
  whyNot,
} from '../topics/explain-clauses';
import { parseQuery } from '../topics/query-parser';
import { DEFAULT_MIN_SCORE, type Groups, type TopicDef } from '../topics/schema';

export interface BacktestHit {
  archived: Archived;
  score: number;
  /** The one-line reason, as a post would give it. */
  why: string;
  /** Scored under the topic's minScore, or not matched: nothing would have been posted. */
  missed: boolean;
  /** For an item the query did not match: each clause, whether it held and what it found. */
  clauses?: string[];
}

export interface BacktestResult {
  topic: TopicDef;
  /** Items read. */
  scanned: number;
  /** Items that would have been posted (score at or above minScore). */
  matched: number;
  /** The five highest scores. */
  best: BacktestHit[];
  /**
   * The five lowest scores that still match, the five best scores under minScore, then the five
   * items the query came closest to matching but did not (see `closeness`), closest first: for
   * those `why` says which clauses failed and `clauses` explains them all.
   */
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
/** An item that has less than this much of the query is not a near miss (see `closeness`). */
const NEAR_MISS = 0.5;

export function adHocTopic(query: string): TopicDef {
  return { id: 'ad-hoc', name: query, query, minScore: DEFAULT_MIN_SCORE };
}

/** Lower-case words joined by dashes: what a topic id looks like and a search word rarely does. */
const LOOKS_LIKE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

/**
 * The topic a `topic test` target names, or the target as a query. A single bare word that looks
 * like a topic id (or is one typo away from one) but names none is refused, with the ids it may
 * have meant and how to search for the word instead: run as a word query, a mistyped id would
 * quietly test something else.
 */
export function topicOrQuery(target: string, topics: readonly TopicDef[]): TopicDef | string {
  const topic = topics.find((t) => t.id === target);
  if (topic) return topic;
  if (!/^[a-z0-9-]+$/.test(target)) return target;
  const ids = topics.map((t) => t.id);
  const near = closestNames(target, ids);
  if (!LOOKS_LIKE_ID.test(target) && near.length === 0) return target;
  const meant =
    near.length > 0
      ? `did you mean ${near.join(', ')}?`
      : `the topics are ${ids.slice(0, 5).join(', ') || '(none)'}${ids.length > 5 ? ', …' : ''}.`;
  throw new UserError(
    `No such topic "${target}" — ${meant} To test the word as a query, put it in quotes: '"${target}"'.`,
  );
}

/** Keeps the `SHOWN` hits that sort first; ties go to the newer item (seen first). */
function keep<T extends BacktestHit>(list: T[], hit: T, before: (a: T, b: T) => number): void {
  if (list.length === SHOWN && before(hit, list[SHOWN - 1]!) >= 0) return;
  list.push(hit);
  list.sort(before);
  if (list.length > SHOWN) list.pop();
}

/**
 * Compiles the topic to score every item the query matches, and to explain the ones it does not;
 * an ad-hoc query's errors name no topic.
 */
function compileOne(topic: TopicDef, adHoc: boolean, groups: Groups) {
  try {
    const matcher = compileTopics([{ ...topic, minScore: 0 }], groups);
    return { matcher, explainer: clauseExplainer(parseQuery(topic.query), topic.query, groups) };
  } catch (e) {
    if (adHoc && e instanceof QueryError)
      throw new QueryError(e.message.replace(`Topic ${topic.id}: `, ''), e.query, e.offset);
    throw e;
  }
}

export async function backtestTopic(options: BacktestOptions): Promise<BacktestResult> {
  const { archive, since, now } = options;
  const topic = typeof options.topic === 'string' ? adHocTopic(options.topic) : options.topic;
  const { matcher, explainer } = compileOne(
    topic,
    typeof options.topic === 'string',
    options.groups,
  );
  const limit = options.sample ?? Infinity;
  const best: BacktestHit[] = [];
  const weakest: BacktestHit[] = [];
  const nearMisses: BacktestHit[] = [];
  const unmatched: NearMiss[] = [];
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
        if (!match) {
          const miss = nearMiss(explainer, archived);
          if (miss) keep(unmatched, miss, (a, b) => b.closeness - a.closeness);
          continue;
        }
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
  const misses = unmatched.map(({ closeness: _, ...hit }) => hit);
  return { topic, scanned, matched, best, borderline: [...weakest, ...nearMisses, ...misses] };
}

type NearMiss = BacktestHit & { closeness: number };

function nearMiss(explainer: ClauseExplainer, archived: Archived): NearMiss | undefined {
  const clause = explainer.explain(archived.item);
  const close = closeness(clause);
  if (close < NEAR_MISS) return undefined;
  return {
    archived,
    score: 0,
    why: whyNot(clause),
    missed: true,
    clauses: renderClauses(clause),
    closeness: close,
  };
}
