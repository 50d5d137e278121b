/**
 * Whether the bot is doing its job, as `GET /healthz` answers it: the store answers, the poll loop
 * ran recently and, in Discord mode, the gateway is connected. Each failed check is one reason,
 * worded for the operator reading a probe's log.
 *
 * A hot standby (a second bot, or `start --standby`) neither polls nor logs in until the lease is
 * its own: its job is to answer the store and wait. It is healthy when the store answers, and says
 * `state: "standby"`, so a supervisor restarting unhealthy processes leaves it alone while a
 * probe that routes traffic can still tell it from the active one.
 */
import type { KV } from '../store/kv';

/**
 * The poll loop looks for due feeds every 5 s, after the previous look's drain of the outbox; a
 * drain held up by Discord's rate limits can take a while, so only two quiet minutes count as stuck.
 * @default 120_000
 */
export const ROUND_STALE_MS = 120_000;

export interface HealthDeps {
  kv: KV;
  clock: () => Date;
  /** When the poll loop last looked for due feeds, if it has yet. */
  lastRoundAt: () => Date | undefined;
  /** Discord mode only: whether the gateway session is ready. */
  gatewayReady?: () => boolean;
  /** Whether this process is waiting for its role's lease (a hot standby). */
  standby?: () => boolean;
  roundStaleMs?: number;
}

export interface HealthReport {
  ok: boolean;
  reasons: string[];
  state: 'active' | 'standby';
  store: string;
  lastRoundAt?: string;
  gateway?: 'connected' | 'disconnected';
}

export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const reasons: string[] = [];
  let store = `${deps.kv.backend}: answers`;
  try {
    await deps.kv.get('__ping__');
  } catch (err) {
    store = `${deps.kv.backend}: ${(err as Error).message}`;
    reasons.push(`store unavailable: ${(err as Error).message}`);
  }
  const last = deps.lastRoundAt();
  const state = deps.standby?.() ? ('standby' as const) : ('active' as const);
  if (state === 'standby') return { ok: reasons.length === 0, reasons, state, store };
  const staleMs = deps.roundStaleMs ?? ROUND_STALE_MS;
  if (last === undefined) reasons.push('no poll round yet');
  else if (deps.clock().getTime() - last.getTime() > staleMs)
    reasons.push(
      `last poll round ${Math.round((deps.clock().getTime() - last.getTime()) / 1000)} s ago (more than ${staleMs / 1000} s)`,
    );
  const gateway =
    deps.gatewayReady === undefined
      ? undefined
      : deps.gatewayReady()
        ? ('connected' as const)
        : ('disconnected' as const);
  if (gateway === 'disconnected') reasons.push('Discord gateway not connected');
  return {
    ok: reasons.length === 0,
    reasons,
    state,
    store,
    ...(last && { lastRoundAt: last.toISOString() }),
    ...(gateway && { gateway }),
  };
}
