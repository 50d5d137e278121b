import { hostname } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryLogger } from '../../../src/log';
import type { KV } from '../../../src/store/kv';
import type { LeaseClaim, LeaseHolder } from '../../../src/store/lease';
import { createLeaseKeeper } from '../../../src/worker/lease-keeper';

const other = (over: Partial<LeaseHolder> = {}): LeaseHolder => ({
  id: 'other',
  host: 'elsewhere',
  pid: 4242,
  since: '2026-12-07T14:00:00.000Z',
  ...over,
});

/** A store whose claims answer from a script, recording what each claim replaced. */
function scriptedLeases(answers: LeaseClaim[]) {
  const replacing: Array<string | undefined> = [];
  const kv: Pick<KV, 'claimLease' | 'releaseLease'> = {
    claimLease: async (_name, _holder, _ttl, replaced) => {
      replacing.push(replaced);
      return answers.shift() ?? { held: true };
    },
    releaseLease: async () => {},
  };
  return { kv, replacing };
}

const keeper = (kv: Pick<KV, 'claimLease' | 'releaseLease'>, logger = memoryLogger()) =>
  createLeaseKeeper({ kv, name: 'worker', ttlMs: 3_000, logger, now: () => new Date() });

afterEach(() => void vi.useRealTimers());

describe('keeping the worker lease', () => {
  it('an instance that finds its lease taken by another stops, naming the new holder', async () => {
    vi.useFakeTimers();
    const { kv } = scriptedLeases([
      { held: true },
      { held: true },
      { held: false, holder: other() },
    ]);
    const logger = memoryLogger();
    const k = keeper(kv, logger);
    expect((await k.acquire()).held).toBe(true);
    const lost = vi.fn();
    k.keep(lost);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lost).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lost).toHaveBeenCalledWith(other());
    expect(logger.lines.join('\n')).toContain('lease lost: host elsewhere, pid 4242');
  });

  it('a standby waits, told once of the holder, and becomes active when the lease is free', async () => {
    vi.useFakeTimers();
    const busy = { held: false, holder: other() } as const;
    const { kv } = scriptedLeases([busy, busy, busy, { held: true }]);
    const waiting = vi.fn();
    const k = keeper(kv);
    expect(k.waiting).toBe(false);
    const active = k.waitFor(new AbortController().signal, waiting);
    // What /healthz reads: a standby is waiting, not failing.
    expect(k.waiting).toBe(true);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await active).toBe(true);
    expect(k.waiting).toBe(false);
    expect(waiting).toHaveBeenCalledTimes(1);
  });

  // A pid is read against its namespace, which only Linux names.
  it.skipIf(process.platform !== 'linux')(
    'a holder that died on this machine is replaced at once; one on another host is left to expire',
    async () => {
      const self = keeper(scriptedLeases([]).kv).holder;
      // Above Linux's largest pid: no such process.
      const dead = other({ host: hostname(), pid: 4_194_305, pidNamespace: self.pidNamespace });
      const here = scriptedLeases([{ held: false, holder: dead }, { held: true }]);
      expect(await keeper(here.kv).acquire()).toEqual({ held: true });
      expect(here.replacing).toEqual([undefined, 'other']);

      const away = scriptedLeases([{ held: false, holder: other({ pid: 4_194_305 }) }]);
      expect((await keeper(away.kv).acquire()).held).toBe(false);
      expect(away.replacing).toEqual([undefined]);
    },
  );
});
