import { type App, createApp } from '../app';
import { UserError } from '../errors';
import type { Role } from '../jobs/roles';
import { labelRole } from '../observe/metrics';
import { describeHolder } from '../store/lease';
import type { CliContext } from './context';
import { becomeActive, EXIT_ANOTHER_INSTANCE, refuseMixedRoles } from './instance';
import { count, emptyTotals, reportOutcome } from './report';
import { takePollJobs } from './worker-role';

/** `11 feeds`, or `11 feeds (+3 added in servers)`. */
function feedCount(operator: number, all: number): string {
  const added = all - operator;
  return `${count(operator, 'feed')}${added > 0 ? ` (+${added} added in servers)` : ''}`;
}

/**
 * `briefing start`: the long-running bot. With DISCORD_TOKEN it connects to Discord (commands and
 * posting) and runs the worker in the same process; without it, the same worker prints briefings
 * to the terminal. With `--role worker` it only polls (jobs from the queue) and queues
 * deliveries; with `--role bot` it only holds the gateway and sends (src/jobs/roles.ts).
 * SIGINT/SIGTERM stop scheduling, let in-flight writes finish, exit 0.
 */
export async function start(
  ctx: CliContext,
  options: { standby?: boolean; role?: Role } = {},
): Promise<number> {
  const role = options.role ?? 'all';
  if (options.standby && role !== 'all')
    throw new UserError(
      `--standby is for role all: a second bot waits as a standby by itself, and workers share the work`,
    );
  labelRole(role);
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
    role,
    onOutcome: (outcome, group) => {
      reportOutcome(outcome, group, ctx.logger, totals);
      if (firstRound && --pendingFirst <= 0) {
        firstRound = false;
        ctx.logger.info(
          `watching ${count(app.feeds().length, 'feed')}; ${totals.archived} existing items archived; ` +
            (role === 'worker'
              ? 'new items are queued for the sending bot'
              : app.discord
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
    `briefing-bot started${role === 'all' ? '' : ` as ${role}`} in ${app.discord ? 'Discord' : 'console'} mode: ${feedCount(app.catalog().feeds.length, app.feeds().length)}, ` +
      (topics.length
        ? `${count(topics.length, 'topic')} (${topics.map((t) => t.id).join(', ')})`
        : app.discord
          ? 'no global topics yet'
          : 'no topics (every new item is a briefing)'),
    { store: app.kv.backend },
  );
  try {
    await refuseMixedRoles(app, role, ctx.env, ctx.logger);
  } catch (err) {
    await app.close();
    throw err;
  }
  if (role === 'worker') return runWorker(app, ctx, stopRequested);
  let lost = false;
  try {
    // Active only with the store's lease: a standby neither polls nor logs in to Discord.
    if (role === 'bot') {
      if (!(await takeOver(app, ctx, signalled.signal, role))) {
        await app.close();
        ctx.logger.info('stopped');
        return 0;
      }
      await app.jobs?.announce('active');
      ctx.logger.info('sender: this bot now sends the queued deliveries');
    } else if (!options.standby && !(await becomeActive(app, ctx.logger))) {
      await app.close();
      return EXIT_ANOTHER_INSTANCE;
    } else if (options.standby && !(await takeOver(app, ctx, signalled.signal, role))) {
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
    app.lease?.keep(() => {
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
async function takeOver(
  app: App,
  ctx: CliContext,
  signal: AbortSignal,
  role: Role,
): Promise<boolean> {
  const lease = app.lease!;
  const withinSeconds = Math.ceil((lease.ttlMs * 4) / 3 / 1000);
  const other = role === 'bot' ? 'another bot is sending' : 'another instance is active';
  await app.jobs?.announce('standby');
  const active = await lease.waitFor(signal, (holder) =>
    ctx.logger.info(
      `standby: ${other} (${describeHolder(holder)}); taking over within ${withinSeconds} s of it stopping`,
    ),
  );
  if (active) ctx.logger.info('standby: the lease is ours; this instance is now active');
  return active;
}

/** `--role worker`: takes poll jobs until a signal. */
async function runWorker(app: App, ctx: CliContext, stopRequested: Promise<void>): Promise<number> {
  let jobs: { stop(): void };
  try {
    jobs = await takePollJobs(app, ctx.logger, ctx.env.FETCH_CONCURRENCY);
  } catch (err) {
    await app.close();
    throw err;
  }
  await stopRequested;
  jobs.stop();
  await app.close();
  ctx.logger.info('stopped');
  return 0;
}
