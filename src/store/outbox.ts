import { type Delivery, DeliverySchema, encodeTarget, type Target } from '../domain/delivery';
import type { Write } from './atomic';
import { digest } from './hash';
import type { KV } from './kv';
import {
  appendIds,
  idsOf,
  LEGACY_INDEX,
  NEEDS_PAGES,
  numberOf,
  PAGES,
  pageKey,
  pagesOf,
  PAGE_SIZE,
  pageOf,
  recordKey,
  TAIL,
  updateFiling,
} from './outbox-pages';

export function deliveryId(target: Target, itemKey: string): string {
  return digest(`${encodeTarget(target)}\n${itemKey}`, 24);
}

export function newDelivery(
  target: Target,
  itemKey: string,
  topicIds: string[],
  now: Date,
  mentionRoleId?: string,
): Delivery {
  const id = deliveryId(target, itemKey);
  return {
    id,
    target,
    itemKey,
    topicIds,
    mentionRoleId,
    nonce: id,
    createdAt: now.toISOString(),
    attempts: 0,
  };
}

export interface OutboxRepo {
  /** Adds deliveries; one already pending (same target and item) is left as it is. */
  add(deliveries: Delivery[]): Promise<void>;
  pending(): Promise<Delivery[]>;
  /** Rewrites a pending delivery; one already removed (sent, perhaps by another process) stays removed. */
  update(delivery: Delivery): Promise<void>;
  remove(id: string): Promise<void>;
}

const ids = (deliveries: Delivery[]) => deliveries.map((d) => d.id);

/** What an add's update did: filed the deliveries (leaving the tail page so full), or found the tail moved. */
type Filed = { tail: { n: number; ids: number } | undefined } | { movedTo: number };

/**
 * Deliveries, one record each, filed on pages (outbox-pages.ts). A delivery's record and its
 * page change together in one `KV.update` (kv.ts), so several processes adding and removing
 * deliveries at once lose none, and a page never names a record that was not written with it.
 * Deliveries queued before the pages are listed in the legacy index, read first (they are the
 * oldest) and removed from it as they are sent; records written by versions older still (index
 * first, record second) may have left a name without a record after a crash: `pending` skips it,
 * and the next poll queues it again, on a page.
 */
export function createOutboxRepo(kv: KV): OutboxRepo {
  // How full this process last left the tail page: an add that will open a page then reads the
  // list of pages in its first update instead of a second one (one add in ~3 in a busy poll
  // round). Only a guess (other processes add too, sends empty pages): the plan decides.
  let lastTail: { n: number; ids: number } | undefined;
  return {
    async add(deliveries) {
      if (deliveries.length === 0) return;
      const unique = [...new Map(deliveries.map((d) => [d.id, d])).values()];
      const records = unique.map((d) => recordKey(d.id));
      // The tail is read first to name its page in the update; the plan checks it is still the tail.
      let tail = numberOf(await kv.get(TAIL), 0);
      for (;;) {
        const expected = tail;
        const opensPage = lastTail?.n === expected && lastTail.ids + unique.length > PAGE_SIZE;
        const outcome = await updateFiling<Filed>(
          kv,
          [TAIL, pageKey(expected), ...records],
          ([tailNow, tailIds, ...found], pages) => {
            const fresh = unique.filter((_, i) => found[i] === undefined);
            if (fresh.length === 0) return { writes: [], result: { tail: undefined } };
            const tailIs = numberOf(tailNow, 0);
            if (tailIs !== expected) return { writes: [], result: { movedTo: tailIs } };
            const filed = appendIds(tailIs, idsOf(tailIds), ids(fresh));
            if (filed.opened.length > 0 && pages === undefined) return NEEDS_PAGES;
            // Pages opened after the tail are written without being read: no one else can name
            // them until this update has moved the tail past them (or filed a record on them).
            const pageOfId = new Map(filed.pages.flatMap((p) => p.ids.map((id) => [id, p.n])));
            const writes: Write[] = fresh.map((d) => ({
              key: recordKey(d.id),
              value: { ...d, page: pageOfId.get(d.id) },
            }));
            for (const p of filed.pages) writes.push({ key: pageKey(p.n), value: p.ids });
            if (filed.tail !== tailIs) writes.push({ key: TAIL, value: filed.tail });
            if (pages !== undefined && filed.opened.length > 0)
              writes.push({ key: PAGES, value: [...pages, ...filed.opened] });
            const last = filed.pages.at(-1)!;
            return { writes, result: { tail: { n: last.n, ids: last.ids.length } } };
          },
          opensPage,
        );
        if ('tail' in outcome) {
          lastTail = outcome.tail;
          return;
        }
        tail = outcome.movedTo;
      }
    },
    async pending() {
      const [legacy, pages] = await kv.getMany([LEGACY_INDEX, PAGES]);
      const live = pagesOf(pages);
      const filed = await kv.getMany(live.map(pageKey));
      // Where each id is listed: the legacy index (undefined), then the pages in order.
      const places: Array<[id: string, page: number | undefined]> = [
        ...(idsOf(legacy) ?? []).map((id) => [id, undefined] as [string, undefined]),
        ...filed.flatMap((ids, i) =>
          (idsOf(ids) ?? []).map((id) => [id, live[i]!] as [string, number]),
        ),
      ];
      const raw = await kv.getMany(places.map(([id]) => recordKey(id)));
      return raw.flatMap((r, i) => {
        // A name the legacy index kept after a crash, queued again since on a page, counts there.
        if (r === undefined || pageOf(r) !== places[i]![1]) return [];
        const parsed = DeliverySchema.safeParse(r);
        return parsed.success ? [parsed.data] : [];
      });
    },
    async update(delivery) {
      const value = DeliverySchema.parse(delivery);
      await kv.update([recordKey(delivery.id)], ([current]) => ({
        writes:
          current === undefined
            ? []
            : [{ key: recordKey(delivery.id), value: { ...value, page: pageOf(current) } }],
        result: undefined,
      }));
    },
    async remove(id) {
      const key = recordKey(id);
      // The record names its page, read first to name it in the update (the plan checks it still
      // does), with the legacy index: a name it kept after a crash goes with the delivery.
      const [record, legacy] = await kv.getMany([key, LEGACY_INDEX]);
      let page = pageOf(record);
      const inLegacy = idsOf(legacy)?.includes(id) ?? false;
      for (;;) {
        const expected = page;
        const lists = [
          ...(expected === undefined ? [] : [pageKey(expected)]),
          ...(expected === undefined || inLegacy ? [LEGACY_INDEX] : []),
        ];
        const moved = await updateFiling(kv, [key, ...lists], ([current, ...listed], pages) => {
          if (current !== undefined && pageOf(current) !== expected)
            return { writes: [], result: { page: pageOf(current) } };
          const writes: Write[] = current === undefined ? [] : [{ key, value: undefined }];
          for (const [i, list] of lists.entries()) {
            const names = idsOf(listed[i]) ?? [];
            if (!names.includes(id)) continue;
            const left = names.filter((x) => x !== id);
            writes.push({ key: list, value: left.length > 0 ? left : undefined });
            if (left.length > 0 || list === LEGACY_INDEX) continue;
            // The page is empty: it leaves the list of pages.
            if (pages === undefined) return NEEDS_PAGES;
            writes.push({ key: PAGES, value: pages.filter((n) => n !== expected) });
          }
          return { writes, result: undefined };
        });
        if (moved === undefined) return;
        page = moved.page;
      }
    },
  };
}
