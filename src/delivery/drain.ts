import type { Logger } from '../log';
import { observe } from '../observe/metrics';
import type { Archived, ArchiveRepo } from '../store/archive';
import { channelOf, type Delivery, encodeTarget } from '../domain/delivery';
import type { OutboxRepo } from '../store/outbox';
import type { Briefing } from './briefing';
import type { Outgoing, SendResult, Sink } from './sink';

export interface DrainDeps {
  outbox: OutboxRepo;
  archive: ArchiveRepo;
  sink: Sink;
  /** Turns an archived item and the delivery's topics into what a reader sees. */
  brief: (archived: Archived, delivery: Delivery) => Briefing | Promise<Briefing>;
  logger: Logger;
  now: () => Date;
  /** Told the result of every send, with the deliveries it covered (Discord mode pauses channels). */
  onResult?: (deliveries: Delivery[], result: SendResult) => Promise<void>;
  /** How long a delivery to a refusing target waits before it is tried again. @default 1 hour */
  pausedRecheckMs?: number;
  /**
   * Deliveries this process sent (or dropped) whose removal from the outbox failed: the store
   * broke right after the send. Kept for the life of the process and shared by its drains, so
   * they are removed once the store is back and never sent again.
   */
  settledUnrecorded: Set<string>;
}

export const PAUSED_RECHECK_MS = 60 * 60_000;

export interface DrainReport {
  sent: number;
  retried: number;
  paused: number;
  dropped: number;
  waiting: number;
}

/**
 * Due deliveries in the order they were queued, as batches: one delivery each, except that
 * everything due for one digest target is one batch (when the sink can tell digests).
 */
function batchesOf(due: Delivery[], digests: boolean): Delivery[][] {
  const batches: Delivery[][] = [];
  const digestBatches = new Map<string, Delivery[]>();
  for (const d of due) {
    if (!digests || d.target.kind !== 'digest') {
      batches.push([d]);
      continue;
    }
    const batch = digestBatches.get(d.target.channelId);
    if (batch) batch.push(d);
    else {
      const fresh = [d];
      digestBatches.set(d.target.channelId, fresh);
      batches.push(fresh);
    }
  }
  return batches;
}

/**
 * Sends every due delivery, oldest first. Each send is recorded before it is made (the delivery's
 * `sendingSince`), so a store that refuses writes stops the drain before anything is sent, and a
 * failed write can never turn into a second post. A delivery leaves the outbox only when the sink
 * accepted it (or it can never be sent); a failure is kept with its attempt count and the time to
 * try again. A channel that refuses us is tried once per drain: its other deliveries wait with it.
 * A store failure ends the drain with its StoreError.
 */
export async function drainOutbox(deps: DrainDeps): Promise<DrainReport> {
  const report: DrainReport = { sent: 0, retried: 0, paused: 0, dropped: 0, waiting: 0 };
  const now = deps.now().getTime();
  const recheckMs = deps.pausedRecheckMs ?? PAUSED_RECHECK_MS;
  const settle = async (id: string) => {
    await deps.outbox.remove(id);
    deps.settledUnrecorded.delete(id);
  };
  const all = await deps.outbox.pending();
  const settled = all.filter((d) => deps.settledUnrecorded.has(d.id));
  const pending = all.filter((d) => !deps.settledUnrecorded.has(d.id));
  // Sent before the store broke: only the removal is left to do, and then their send is complete.
  for (const d of settled) await settle(d.id);
  report.sent += settled.length;
  const due = pending.filter((d) => !d.notBefore || Date.parse(d.notBefore) <= now);
  report.waiting = pending.length - due.length;
  const archived = await deps.archive.get([...new Set(due.map((d) => d.itemKey))]);
  const byKey = new Map(archived.flatMap((a) => (a ? [[a.item.key, a] as const] : [])));
  const refused = new Map<string, string>();

  const hold = (d: Delivery, reason: string) =>
    deps.outbox.update({
      ...d,
      lastError: reason,
      notBefore: new Date(now + recheckMs).toISOString(),
      sendingSince: undefined,
    });

  for (const batch of batchesOf(due, deps.sink.sendDigest !== undefined)) {
    const outgoing: Outgoing[] = [];
    for (const delivery of batch) {
      const entry = byKey.get(delivery.itemKey);
      if (entry) outgoing.push({ delivery, briefing: await deps.brief(entry, delivery) });
      else {
        // The item expired from the archive (or never made it): nothing left to send.
        deps.logger.warn('delivery dropped: item no longer archived', {
          itemKey: delivery.itemKey,
          target: encodeTarget(delivery.target),
        });
        await deps.outbox.remove(delivery.id);
      }
    }
    const first = outgoing[0];
    if (!first) continue;
    const deliveries = outgoing.map((o) => o.delivery);
    // A refusal holds the channel's digest too: both post in the same channel.
    const channel = channelOf(first.delivery.target) ?? 'console';
    const refusal = refused.get(channel);
    if (refusal !== undefined) {
      for (const d of deliveries) await hold(d, refusal);
      report.paused += deliveries.length;
      continue;
    }

    await recordSending(deps, deliveries, now);
    const result =
      first.delivery.target.kind === 'digest' && deps.sink.sendDigest
        ? await deps.sink.sendDigest(outgoing)
        : await deps.sink.send(first.delivery, first.briefing);
    if (result.kind === 'sent' || result.kind === 'dropped')
      for (const d of deliveries) deps.settledUnrecorded.add(d.id);
    if (result.kind === 'sent' && result.unrecorded !== undefined) throw result.unrecorded;
    for (const d of deliveries) {
      switch (result.kind) {
        case 'sent':
          await settle(d.id);
          report.sent++;
          break;
        case 'dropped':
          deps.logger.warn('delivery dropped: it can never be sent', {
            reason: result.reason,
            itemKey: d.itemKey,
            target: encodeTarget(d.target),
          });
          await settle(d.id);
          report.dropped++;
          break;
        case 'retry':
          await deps.outbox.update({
            ...d,
            attempts: d.attempts + 1,
            lastError: result.reason,
            notBefore: new Date(now + result.afterMs).toISOString(),
            sendingSince: undefined,
          });
          report.retried++;
          break;
        case 'paused':
          // Held, not failed: the target refused (no access); look again later without counting it.
          await hold(d, result.reason);
          report.paused++;
          break;
      }
    }
    if (result.kind === 'paused') refused.set(channel, result.reason);
    await deps.onResult?.(deliveries, result);
  }
  observe.drained(report, pending.length);
  return report;
}

/**
 * Writes that each delivery's send begins. One still marked from an earlier run was cut short
 * between its send and its removal (a kill, or the store failing then): it is sent again with the
 * same nonce, which Discord absorbs; the console prints it again.
 */
async function recordSending(deps: DrainDeps, deliveries: Delivery[], now: number) {
  const since = new Date(now).toISOString();
  for (const d of deliveries) {
    if (d.sendingSince)
      deps.logger.warn('sending again: an earlier send was cut short before it was recorded', {
        itemKey: d.itemKey,
        target: encodeTarget(d.target),
        sendingSince: d.sendingSince,
      });
    await deps.outbox.update({ ...d, sendingSince: since });
  }
}
