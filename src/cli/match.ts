import { summarize } from '../text/summarize';
import { loadYamlFile } from '../config/yaml-file';
import { topicsPath } from '../config/catalog';
import { createFetcher } from '../feeds/fetch';
import type { Item } from '../domain/item';
import { normalizeFeed } from '../feeds/normalize';
import { parseFeed } from '../feeds/parse';
import { compileTopics } from '../topics/compile';
import { explainMatch } from '../topics/explain';
import { TopicsFileSchema } from '../topics/schema';
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

function renderText(item: Item, matches: Match[], explain: boolean): string {
  const lines = [item.title, `  ${item.link ?? item.guid ?? item.key}`];
  if (matches.length === 0) lines.push('  no topic matched');
  for (const m of matches) {
    lines.push(`  ✓ ${m.topicId} (score ${m.score}): ${explainMatch(m)}`);
    if (explain)
      for (const h of m.hits)
        lines.push(`      ${h.field.padEnd(11)} ${h.term}${h.group ? `  (@${h.group})` : ''}`);
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
  const raw = await parseFeed(await readFeed(source, ctx), source);
  const items = normalizeFeed(raw, { feedId: 'match', fetchedAt: new Date(), url: source });
  let matched = 0;
  for (const item of items) {
    const matches = matcher.match(item);
    if (matches.length > 0) matched++;
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
      };
      ctx.out(`${JSON.stringify(record)}\n`);
    } else {
      ctx.out(`${renderText(item, matches, options.explain ?? false)}\n\n`);
    }
  }
  ctx.logger.info(
    `${items.length} items read (${raw.parser}); ${matched} matched a topic of ${topics.topics.length}`,
  );
  return 0;
}
