import { createApp } from '../app';
import type { CliContext } from './context';
import { count, emptyTotals, reportOutcome } from './report';

/**
 * `briefing start`: the long-running bot. With DISCORD_TOKEN it connects to Discord (commands and
 * posting) and runs the worker in the same process; without it, the same worker prints briefings
 * to the terminal. SIGINT/SIGTERM stop scheduling, let in-flight writes finish, exit 0.
 */
/** `11 feeds`, or `11 feeds (+3 added in servers)`. */
function feedCount(operator: number, all: number): string {
  const added = all - operator;
  return `${count(operator, 'feed')}${added > 0 ? ` (+${added} added in servers)` : ''}`;
}

export async function start(ctx: CliContext): Promise<number> {
  // Listening from the first moment: a signal during start-up (connecting, first login) is a clean stop too.
  const stopRequested = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      ctx.logger.info(`${signal} received: finishing in-flight work`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  let totals = emptyTotals();
  let firstRound = true;
  let pendingFirst = 0;
  const app = await createApp({
    loadCommands: ctx.loadCommands,
    configDir: ctx.configDir,
    env: ctx.env,
    logger: ctx.logger,
    output: { json: ctx.json, color: ctx.color, write: ctx.out },
    watchConfig: true,
    onOutcome: (outcome, group) => {
      reportOutcome(outcome, group, ctx.logger, totals);
      if (firstRound && --pendingFirst <= 0) {
        firstRound = false;
        ctx.logger.info(
          `watching ${count(app.feeds().length, 'feed')}; ${totals.archived} existing items archived; ` +
            (app.discord
              ? 'new items will be posted to subscribed channels'
              : 'new items will be printed as they appear'),
        );
        totals = emptyTotals();
      }
    },
  });
  // The first round is over when every URL polled — the operator's feeds and the servers' — has reported.
  pendingFirst = new Set(app.feeds().map((f) => f.url)).size;
  const topics = app.catalog().topics.topics;
  ctx.logger.info(
    `briefing-bot started in ${app.discord ? 'Discord' : 'console'} mode: ${feedCount(app.catalog().feeds.length, app.feeds().length)}, ` +
      (topics.length
        ? `${count(topics.length, 'topic')} (${topics.map((t) => t.id).join(', ')})`
        : app.discord
          ? 'no global topics yet'
          : 'no topics (every new item is a briefing)'),
    { store: app.kv.backend },
  );
  try {
    await app.discord?.bot.login();
  } catch (err) {
    await app.close();
    throw err;
  }
  app.worker.start();

  await stopRequested;
  await app.close();
  ctx.logger.info('stopped');
  return 0;
}
