import { createApp } from '../app';
import { StoreError } from '../errors';
import type { CliContext } from './context';
import { becomeActive, EXIT_ANOTHER_INSTANCE } from './instance';
import { count, emptyTotals, reportOutcome } from './report';

/** `briefing poll --once`: one round over every feed, briefings to stdout, a summary to stderr. */
export async function pollOnce(ctx: CliContext): Promise<number> {
  const totals = emptyTotals();
  const app = await createApp({
    loadCommands: ctx.loadCommands,
    configDir: ctx.configDir,
    env: ctx.env,
    logger: ctx.logger,
    output: { json: ctx.json, color: ctx.color, write: ctx.out },
    onOutcome: (outcome, group) => reportOutcome(outcome, group, ctx.logger, totals),
  });
  let storeFailed: boolean;
  try {
    if (!(await becomeActive(app, ctx.logger))) return EXIT_ANOTHER_INSTANCE;
    // The worker has logged a store failure; what is left is to say the round is incomplete.
    storeFailed = await app.worker.pollOnce().then(
      () => false,
      (err) => {
        if (err instanceof StoreError) return true;
        throw err;
      },
    );
  } finally {
    await app.close();
  }
  const summary =
    `polled ${count(totals.feeds, 'feed')}: ${count(totals.archived, 'new item')} archived, ` +
    `${count(totals.delivered, 'briefing')}, ${totals.notModified} unchanged, ${totals.failed} failed`;
  if (storeFailed) {
    ctx.logger.error(`${summary}; the store failed, so the round is incomplete`);
    return 1;
  }
  ctx.logger.info(summary);
  return totals.failed > 0 && totals.failed === totals.feeds ? 1 : 0;
}
