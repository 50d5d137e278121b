import { type App, createApp } from '../app';
import { describeHolder } from '../store/lease';
import type { CliContext } from './context';
import { becomeActive, EXIT_ANOTHER_INSTANCE } from './instance';
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

export async function start(ctx: CliContext, options: { standby?: boolean } = {}): Promise<number> {
  // Listening from the first moment: a signal during start-up (connecting, first login, waiting
  // as a standby) is a clean stop too.
  const signalled = new AbortController();
  const stopRequested = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      ctx.logger.info(`${signal} received: finishing in-flight work`);
      signalled.abort();
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
  let lost = false;
  try {
    // Active only with the store's lease: a standby neither polls nor logs in to Discord.
    if (!options.standby && !(await becomeActive(app, ctx.logger))) {
      await app.close();
      return EXIT_ANOTHER_INSTANCE;
    }
    if (options.standby && !(await takeOver(app, ctx, signalled.signal))) {
      await app.close();
      ctx.logger.info('stopped');
      return 0;
    }
    await app.discord?.bot.login();
  } catch (err) {
    await app.close();
    throw err;
  }
  const lostLease = new Promise<void>((resolve) =>
    app.lease.keep(() => {
      lost = true;
      resolve();
    }),
  );
  app.worker.start();

  await Promise.race([stopRequested, lostLease]);
  await app.close();
  ctx.logger.info('stopped');
  return lost ? 1 : 0;
}

/** Waits as a hot standby until the lease is this instance's (true), or a signal stops it. */
async function takeOver(app: App, ctx: CliContext, signal: AbortSignal): Promise<boolean> {
  const withinSeconds = Math.ceil((app.lease.ttlMs * 4) / 3 / 1000);
  const active = await app.lease.waitFor(signal, (holder) =>
    ctx.logger.info(
      `standby: another instance is active (${describeHolder(holder)}); taking over within ${withinSeconds} s of it stopping`,
    ),
  );
  if (active) ctx.logger.info('standby: the lease is ours; this instance is now active');
  return active;
}
