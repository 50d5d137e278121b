import { describe, expect, it } from 'vitest';
import type { Briefing } from '../../../src/delivery/briefing';
import { drainOutbox } from '../../../src/delivery/drain';
import type { Outgoing, SendResult, Sink } from '../../../src/delivery/sink';
import { decodeTarget, encodeTarget } from '../../../src/domain/delivery';
import { StoreError } from '../../../src/errors';
import { memoryLogger } from '../../../src/log';
import type { Archived, ArchiveRepo } from '../../../src/store/archive';
import { newDelivery, type OutboxRepo } from '../../../src/store/outbox';
import type { Delivery } from '../../../src/domain/delivery';
import { makeBriefing } from './make-briefing';

const NOW = new Date('2026-11-28T12:00:00Z');

function memoryOutbox(deliveries: Delivery[]): OutboxRepo & { all: Map<string, Delivery> } {
  const all = new Map(deliveries.map((d) => [d.id, d]));
  return {
    all,
    add: async (ds) => {
      for (const d of ds) if (!all.has(d.id)) all.set(d.id, d);
    },
    pending: async () => [...all.values()],
    update: async (d) => void all.set(d.id, d),
    remove: async (id) => void all.delete(id),
  };
}

const archive = {
  get: async (keys: string[]) =>
    keys.map((key) => ({ item: { key }, matches: [] }) as unknown as Archived),
} as ArchiveRepo;

/** A sink that answers from a script per channel and records what it was asked to send. */
function scriptedSink(answer: (channel: string) => SendResult, digests = true) {
  const calls: string[] = [];
  const sink: Sink = {
    async send(d) {
      calls.push(`send ${encodeTarget(d.target)} ${d.itemKey}`);
      return answer(encodeTarget(d.target));
    },
    ...(digests && {
      async sendDigest(batch: Outgoing[]) {
        calls.push(
          `digest ${encodeTarget(batch[0]!.delivery.target)} ${batch.map((o) => o.delivery.itemKey).join(',')}`,
        );
        return answer(encodeTarget(batch[0]!.delivery.target));
      },
    }),
  };
  return { sink, calls };
}

function drain(outbox: OutboxRepo, sink: Sink, results: Array<[Delivery[], SendResult]> = []) {
  return drainOutbox({
    outbox,
    archive,
    sink,
    brief: () => makeBriefing() as Briefing,
    logger: memoryLogger(),
    now: () => NOW,
    onResult: async (ds, r) => void results.push([ds, r]),
    settledUnrecorded: new Set(),
  });
}

const d = (target: string, key: string, notBefore?: string) => ({
  ...newDelivery(decodeTarget(target), key, ['t'], NOW),
  ...(notBefore ? { notBefore } : {}),
});

describe('draining the outbox', () => {
  it('sends everything due for one digest target as one digest, and leaves the rest waiting', async () => {
    const later = '2026-11-28T18:00:00.000Z';
    const outbox = memoryOutbox([
      d('c1', 'a'),
      d('digest:c2', 'b'),
      d('c1', 'c'),
      d('digest:c2', 'e'),
      d('digest:c3', 'f', later),
    ]);
    const { sink, calls } = scriptedSink(() => ({ kind: 'sent' }));
    const report = await drain(outbox, sink);
    expect(calls).toEqual(['send c1 a', 'digest digest:c2 b,e', 'send c1 c']);
    expect(report).toMatchObject({ sent: 4, waiting: 1 });
    expect([...outbox.all.values()].map((x) => x.itemKey)).toEqual(['f']);
  });

  it('tries a refusing channel once, holds its other deliveries an hour, and carries on with the others', async () => {
    const outbox = memoryOutbox([
      d('bad', 'a'),
      d('good', 'b'),
      d('bad', 'c'),
      d('digest:bad', 'e'),
    ]);
    const results: Array<[Delivery[], SendResult]> = [];
    const { sink, calls } = scriptedSink((target) =>
      target.endsWith('bad')
        ? { kind: 'paused', reason: 'Missing Access (50001)' }
        : { kind: 'sent' },
    );
    const report = await drain(outbox, sink, results);
    expect(calls).toEqual(['send bad a', 'send good b']);
    expect(report).toMatchObject({ sent: 1, paused: 3 });
    const held = [...outbox.all.values()];
    expect(held.map((x) => [x.itemKey, x.notBefore, x.lastError, x.attempts])).toEqual([
      ['a', '2026-11-28T13:00:00.000Z', 'Missing Access (50001)', 0],
      ['c', '2026-11-28T13:00:00.000Z', 'Missing Access (50001)', 0],
      ['e', '2026-11-28T13:00:00.000Z', 'Missing Access (50001)', 0],
    ]);
    expect(results.map(([ds, r]) => `${ds.map((x) => x.itemKey).join()} ${r.kind}`)).toEqual([
      'a paused',
      'b sent',
    ]);
  });

  it('retries with the attempt counted, and drops what can never be sent', async () => {
    const outbox = memoryOutbox([d('flaky', 'a'), d('broken', 'b')]);
    const { sink } = scriptedSink((target) =>
      target === 'flaky'
        ? { kind: 'retry', afterMs: 30_000, reason: 'Discord 502' }
        : { kind: 'dropped', reason: 'invalid message' },
    );
    const report = await drain(outbox, sink);
    expect(report).toMatchObject({ retried: 1, dropped: 1 });
    expect([...outbox.all.values()]).toMatchObject([
      {
        itemKey: 'a',
        attempts: 1,
        notBefore: '2026-11-28T12:00:30.000Z',
        lastError: 'Discord 502',
      },
    ]);
  });

  it('a sink without digests sends digest deliveries one by one', async () => {
    const outbox = memoryOutbox([d('digest:c', 'a'), d('digest:c', 'b')]);
    const { sink, calls } = scriptedSink(() => ({ kind: 'sent' }), false);
    await drain(outbox, sink);
    expect(calls).toEqual(['send digest:c a', 'send digest:c b']);
  });

  it('a full disk never turns into a second post: a send that cannot be recorded first is not made', async () => {
    const outbox = memoryOutbox([d('c1', 'a')]);
    outbox.update = async () => {
      throw new StoreError('Store write failed: SQLITE_FULL');
    };
    const { sink, calls } = scriptedSink(() => ({ kind: 'sent' }));
    await expect(drain(outbox, sink)).rejects.toThrow(StoreError);
    expect(calls).toEqual([]);
  });

  it('a full disk never turns into a second post: a send whose removal failed is removed by the next drain, not sent again', async () => {
    const outbox = memoryOutbox([d('c1', 'a'), d('c1', 'b')]);
    const remove = outbox.remove;
    let full = true;
    outbox.remove = async (id) => {
      if (full) throw new StoreError('Store delete failed: SQLITE_FULL');
      await remove(id);
    };
    const { sink, calls } = scriptedSink(() => ({ kind: 'sent' }));
    const settledUnrecorded = new Set<string>();
    const run = () =>
      drainOutbox({
        outbox,
        archive,
        sink,
        brief: () => makeBriefing() as Briefing,
        logger: memoryLogger(),
        now: () => NOW,
        settledUnrecorded,
      });
    await expect(run()).rejects.toThrow(StoreError);
    await expect(run()).rejects.toThrow(StoreError);
    expect(calls).toEqual(['send c1 a']);
    full = false;
    expect((await run()).sent).toBe(2);
    expect(calls).toEqual(['send c1 a', 'send c1 b']);
    expect([...outbox.all.keys()]).toEqual([]);
    expect(settledUnrecorded.size).toBe(0);
  });

  it('records that a send began before making it, and marks a repeat of a send cut short', async () => {
    const cutShort = { ...d('c1', 'a'), sendingSince: '2026-11-28T11:59:00.000Z' };
    const outbox = memoryOutbox([cutShort]);
    const seen: Array<string | undefined> = [];
    const { sink } = scriptedSink(() => {
      seen.push(outbox.all.get(cutShort.id)?.sendingSince);
      return { kind: 'retry', afterMs: 1000, reason: '503' };
    });
    const logger = memoryLogger();
    await drainOutbox({
      outbox,
      archive,
      sink,
      brief: () => makeBriefing() as Briefing,
      logger,
      now: () => NOW,
      settledUnrecorded: new Set(),
    });
    expect(seen).toEqual([NOW.toISOString()]);
    expect(outbox.all.get(cutShort.id)?.sendingSince).toBeUndefined();
    expect(logger.lines.join('\n')).toContain('sending again: an earlier send was cut short');
  });
});
