import { createApp } from '../app';
import type { CliContext } from './context';
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
  try {
    await app.worker.pollOnce();
  } finally {
    await app.close();
  }
  ctx.logger.info(
    `polled ${count(totals.feeds, 'feed')}: ${count(totals.archived, 'new item')} archived, ` +
      `${count(totals.delivered, 'briefing')}, ${totals.notModified} unchanged, ${totals.failed} failed`,
  );
  return totals.failed > 0 && totals.failed === totals.feeds ? 1 : 0;
}
