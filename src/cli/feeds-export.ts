import { loadFeeds } from '../config/catalog';
import { writeOpml } from '../config/opml-write';
import type { CliContext } from './context';

/**
 * `briefing feeds export`: the operator's feeds as OPML on stdout, for any feed reader. Feeds
 * read from local files are left out (no other program could follow them), and said so.
 */
export async function feedsExport(
  ctx: CliContext,
  now: () => Date = () => new Date(),
): Promise<number> {
  const feeds = await loadFeeds(ctx.configDir);
  const shareable = feeds.filter((f) => /^https?:\/\//i.test(f.url));
  for (const feed of feeds.filter((f) => !shareable.includes(f)))
    ctx.logger.warn('not exported: a local file is no use to another reader', { feed: feed.id });
  ctx.out(
    writeOpml(
      shareable.map((f) => ({ url: f.url, ...(f.name ? { name: f.name } : {}) })),
      { title: 'briefing-bot feeds', now: now() },
    ),
  );
  return 0;
}
