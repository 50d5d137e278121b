import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Named leases in the store: a lease is held by one process at a time, for a time it must keep
 * renewing, so that two processes on one store never do the same work (and post the same item
 * twice). The names are the roles' (src/jobs/roles.ts): `worker`, held by the single process
 * that polls and delivers (role all), and `sender`, held by the one bot that sends when the work
 * is split over processes (workers need none: the job queue hands each poll to one of them).
 *
 * keyv has no compare-and-set, so each backend implements the two operations with its own atomic
 * write (lease-sqlite.ts, lease-redis.ts, lease-postgres.ts).
 */
export interface LeaseHolder {
  /** Unique per process and start: two runs with the same pid are still different holders. */
  id: string;
  host: string;
  pid: number;
  /**
   * The process-id namespace the pid belongs to (Linux: `/proc/self/ns/pid`): two containers may
   * share a host name, but a pid means something only inside its own namespace.
   */
  pidNamespace?: string;
  /** When this holder first took the lease (ISO). */
  since: string;
}

export type LeaseClaim = { held: true } | { held: false; holder: LeaseHolder | undefined };

export interface LeaseOps {
  /**
   * Takes the lease `name` for `holder` until `ttlMs` from now if it is free, expired, already
   * theirs (which renews it) or held by `replacing` (a holder known to be dead), in one atomic
   * write; otherwise says who holds it.
   */
  claim(name: string, holder: LeaseHolder, ttlMs: number, replacing?: string): Promise<LeaseClaim>;
  /** Gives the lease up, if `holderId` still holds it. */
  release(name: string, holderId: string): Promise<void>;
  /** Who holds the lease now, without taking it or writing anything (an expired one is nobody's). */
  holder(name: string): Promise<LeaseHolder | undefined>;
}

/** This process, as a lease holder. */
export function thisProcess(now: Date): LeaseHolder {
  return {
    id: randomUUID(),
    host: hostname(),
    pid: process.pid,
    pidNamespace: pidNamespace(),
    since: now.toISOString(),
  };
}

function pidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined; // not Linux: a holder's death is then known only by its lease expiring
  }
}

/** `host web-1, pid 4242, since 2026-12-07T14:00:00.000Z`: how a holder is named to people. */
export function describeHolder(holder: LeaseHolder | undefined): string {
  return holder
    ? `host ${holder.host}, pid ${holder.pid}, since ${holder.since}`
    : 'a holder that just let go';
}

/** A holder as stored; anything else (a hand-edited row) reads as an unknown holder. */
export function parseHolder(text: unknown): LeaseHolder | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const h = JSON.parse(text) as Partial<LeaseHolder>;
    return typeof h.id === 'string' && typeof h.host === 'string' && typeof h.pid === 'number'
      ? {
          id: h.id,
          host: h.host,
          pid: h.pid,
          since: String(h.since),
          ...(typeof h.pidNamespace === 'string' && { pidNamespace: h.pidNamespace }),
        }
      : undefined;
  } catch {
    return undefined;
  }
}
