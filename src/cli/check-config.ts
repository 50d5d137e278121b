import { loadCatalog } from '../config/catalog';
import { queryWarnings } from '../topics/query-lint';
import type { CliContext } from './context';

/**
 * `briefing check-config`: validates the environment and both files, every problem at once, and
 * warns (without failing) about what is valid but probably not meant.
 */
export async function checkConfig(ctx: CliContext): Promise<number> {
  const catalog = await loadCatalog(ctx.configDir);
  const warnings = catalog.topics.topics.flatMap((t, i) =>
    queryWarnings(t.query).map((w) => `topics.yaml topics[${i}].query (${t.id}): ${w}`),
  );
  for (const w of warnings) ctx.logger.warn(w);
  const summary = {
    ok: true,
    warnings,
    configDir: ctx.configDir,
    feeds: catalog.feeds.length,
    topics: catalog.topics.topics.length,
    groups: Object.keys(catalog.topics.groups).length,
  };
  ctx.out(
    ctx.json
      ? `${JSON.stringify(summary)}\n`
      : `config OK: ${summary.feeds} feeds, ${summary.topics} topics, ${summary.groups} term groups (${ctx.configDir})\n`,
  );
  return 0;
}
