import { summarize } from '../text/summarize';
import { loadYamlFile } from '../config/yaml-file';
import { topicsPath } from '../config/catalog';
import { createFetcher } from '../feeds/fetch';
import type { Item } from '../domain/item';
import { normalizeFeed } from '../feeds/normalize';
import { parseFeed } from '../feeds/parse';
import { compileTopics } from '../topics/compile';
import { explainMatch } from '../topics/explain';
import { type Clause, clauseExplainer, renderClauses, whyNot } from '../topics/explain-clauses';
import { parseQuery } from '../topics/query-parser';
import { type TopicDef, TopicsFileSchema } from '../topics/schema';
import type { Match } from '../domain/match';
import type { CliContext } from './context';

export interface MatchOptions {
  topics?: string;
  explain?: boolean;
}

/** The feed's text, from a local file or over HTTP with the same fetcher the worker uses. */
async function readFeed(source: string, ctx: CliContext): Promise<string> {
  const fetcher = createFetcher({
    bodyTimeoutMs: ctx.env.FETCH_TIMEOUT_SECONDS * 1000,
    maxBytes: ctx.env.FETCH_MAX_MB * 1024 * 1024,
  });
  try {
    const result = await fetcher.fetch({ url: source, trust: 'trusted' });
    // No validators were sent, so a 304 cannot happen; the type still says it could.
    return result.kind === 'ok' ? result.body : '';
  } finally {
    await fetcher.close();
  }
}

interface Miss {
  topic: TopicDef;
  clause: Clause;
}

/** Why a topic that did not match missed: its failed clauses, or a score under its minScore. */
const missReason = ({ topic, clause }: Miss) =>
  clause.held
    ? `the query holds, but the score is under minScore ${topic.minScore}`
    : whyNot(clause);

function renderText(item: Item, matches: Match[], misses: Miss[] | undefined): string {
  const lines = [item.title, `  ${item.link ?? item.guid ?? item.key}`];
  if (matches.length === 0) lines.push('  no topic matched');
  for (const m of matches) {
    lines.push(`  ✓ ${m.topicId} (score ${m.score}): ${explainMatch(m)}`);
    if (misses)
      for (const h of m.hits)
        lines.push(`      ${h.field.padEnd(11)} ${h.term}${h.group ? `  (@${h.group})` : ''}`);
  }
  // --explain: each topic that missed, clause by clause, so the clause to fix is in view.
  for (const miss of misses ?? []) {
    lines.push(`  ✗ ${miss.topic.id}: ${missReason(miss)}`);
    lines.push(...renderClauses(miss.clause, '      '));
  }
  return lines.join('\n');
}

/**
 * `briefing match <feed file | URL>`: what every item of a feed would match, and why — the tool for
 * writing topics. Reads and parses like the worker; touches no store.
 */
export async function match(
  ctx: CliContext,
  source: string,
  options: MatchOptions,
): Promise<number> {
  const topics = await loadYamlFile(options.topics ?? topicsPath(ctx.configDir), TopicsFileSchema);
  const matcher = compileTopics(topics.topics, topics.groups);
  const explainers = options.explain
    ? topics.topics.map((topic) => ({
        topic,
        explainer: clauseExplainer(parseQuery(topic.query), topic.query, topics.groups),
      }))
    : undefined;
  const raw = await parseFeed(await readFeed(source, ctx), source);
  const items = normalizeFeed(raw, { feedId: 'match', fetchedAt: new Date(), url: source });
  let matched = 0;
  for (const item of items) {
    const matches = matcher.match(item);
    if (matches.length > 0) matched++;
    const misses = explainers
      ?.filter(({ topic }) => !matches.some((m) => m.topicId === topic.id))
      .map(({ topic, explainer }) => ({ topic, clause: explainer.explain(item) }));
    if (ctx.json) {
      const terms = [...new Set(matches.flatMap((m) => m.hits.map((h) => h.term)))];
      const record = {
        key: item.key,
        guid: item.guid,
        link: item.link,
        title: item.title,
        summary: summarize(item.text || item.description, { title: item.title, terms }),
        topics: matches.map((m) => ({
          id: m.topicId,
          score: m.score,
          why: explainMatch(m),
          hits: m.hits,
        })),
        ...(misses
          ? {
              misses: misses.map((miss) => ({
                id: miss.topic.id,
                why: missReason(miss),
                clauses: renderClauses(miss.clause),
              })),
            }
          : {}),
      };
      ctx.out(`${JSON.stringify(record)}\n`);
    } else {
      ctx.out(`${renderText(item, matches, misses)}\n\n`);
    }
  }
  ctx.logger.info(
    `${items.length} items read (${raw.parser}); ${matched} matched a topic of ${topics.topics.length}`,
  );
  return 0;
}
