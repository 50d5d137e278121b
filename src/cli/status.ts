import { createLiveCatalog } from '../catalog/live-catalog';
import { loadCatalog } from '../config/catalog';
import { createFeedStateRepo, type FetchState } from '../store/feed-state';
import { createGuildCatalogRepo } from '../store/guild-catalog';
import { openStore, redactUrl, type KV } from '../store/kv';
import { createOutboxRepo } from '../store/outbox';
import { groupByUrl } from '../worker/schedule';
import type { CliContext } from './context';
import { count, inWords } from './report';
import { type RolesReport, renderRoles, rolesReport } from './status-roles';

interface FailingFeed {
  feeds: string[];
  url: string;
  failures: number;
  failingSince?: string;
  lastError?: string;
  nextFetchAt?: string;
}

export interface StatusReport extends RolesReport {
  store: { backend: KV['backend']; url: string; answeredInMs: number };
  /** The latest fetch of any feed: the last poll round the store remembers. */
  lastPollAt?: string;
  feeds: { urls: number; ok: number; failing: FailingFeed[]; neverPolled: number };
  backlog: { pending: number; due: number; waiting: number; oldestQueuedAt?: string };
}

async function gather(ctx: CliContext, kv: KV, answeredInMs: number): Promise<StatusReport> {
  const now = Date.now();
  const catalog = createLiveCatalog(await loadCatalog(ctx.configDir));
  for (const g of await createGuildCatalogRepo(kv).all()) catalog.setGuild(g.guildId, g);
  const feedState = createFeedStateRepo(kv);
  const groups = groupByUrl(catalog.feeds());
  const states: FetchState[] = await Promise.all(groups.map((g) => feedState.fetchState(g.key)));
  const failing = groups.flatMap((g, i) => {
    const s = states[i]!;
    if (s.failures === 0) return [];
    const { failures, failingSince, lastError, nextFetchAt } = s;
    return [
      {
        feeds: g.feeds.map((f) => f.id),
        url: g.url,
        failures,
        failingSince,
        lastError,
        nextFetchAt,
      },
    ];
  });
  const neverPolled = states.filter((s) => !s.lastFetchAt).length;
  const lastPollAt = states
    .map((s) => s.lastFetchAt)
    .filter((at): at is string => at !== undefined)
    .sort()
    .at(-1);
  const pending = await createOutboxRepo(kv).pending();
  const due = pending.filter((d) => !d.notBefore || Date.parse(d.notBefore) <= now).length;
  return {
    store: { backend: kv.backend, url: redactUrl(ctx.env.STORE_URL), answeredInMs },
    lastPollAt,
    feeds: {
      urls: groups.length,
      ok: groups.length - failing.length - neverPolled,
      failing,
      neverPolled,
    },
    backlog: {
      pending: pending.length,
      due,
      waiting: pending.length - due,
      oldestQueuedAt: pending.map((d) => d.createdAt).sort()[0],
    },
    ...(await rolesReport(ctx.env, kv)),
  };
}

const ago = (iso: string, now: number) =>
  `${iso} (${inWords(Math.max(0, now - Date.parse(iso)))} ago)`;

function render(r: StatusReport, now: number): string {
  const lines = [
    `store      ${r.store.backend} (${r.store.url}): answers in ${r.store.answeredInMs} ms`,
    `last poll  ${r.lastPollAt ? ago(r.lastPollAt, now) : 'never'}`,
    `feeds      ${count(r.feeds.urls, 'URL')} polled: ${r.feeds.ok} ok, ${r.feeds.failing.length} failing, ${r.feeds.neverPolled} not polled yet`,
    ...r.feeds.failing.map(
      (f) =>
        `  failing  ${f.feeds.join(',')} ${f.url}: ${count(f.failures, 'failure')}` +
        `${f.failingSince ? ` since ${f.failingSince}` : ''}; next try ${f.nextFetchAt ?? 'not scheduled'}` +
        `${f.lastError ? `\n           ${f.lastError}` : ''}`,
    ),
    `backlog    ${r.backlog.pending} pending: ${r.backlog.due} due now, ${r.backlog.waiting} waiting (digest time, retry or paused channel)` +
      (r.backlog.oldestQueuedAt ? `; oldest queued ${ago(r.backlog.oldestQueuedAt, now)}` : ''),
    ...renderRoles(r),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `briefing status`: how the bot is doing, from what the store holds (feed states, the outbox),
 * so it answers while the bot runs in another process. The same picture as GET /healthz and
 * /metrics, for a person.
 */
export async function status(ctx: CliContext): Promise<number> {
  const started = performance.now();
  const kv = await openStore(ctx.env.STORE_URL, {
    prefix: ctx.env.STORE_PREFIX,
    timeoutMs: ctx.env.STORE_TIMEOUT_SECONDS * 1000,
  });
  try {
    const report = await gather(ctx, kv, Math.round(performance.now() - started));
    ctx.out(ctx.json ? `${JSON.stringify(report)}\n` : render(report, Date.now()));
    return 0;
  } finally {
    await kv.close();
  }
}
