import { loadCatalog } from '../config/catalog';
import type { CliContext } from './context';

/** `briefing check-config`: validates the environment and both files, every problem at once. */
export async function checkConfig(ctx: CliContext): Promise<number> {
  const catalog = await loadCatalog(ctx.configDir);
  const summary = {
    ok: true,
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
