/**
 * One page of a selection, newest first (published time descending, then item key), after the
 * cursor. Only the items shown are loaded, plus any that share the boundary's published time
 * (ordering those needs their keys, which only the items carry).
 */
import type { Archived, Slot } from '../store/archive';
import { dayStart } from '../store/archive-slot';
import type { Cursor } from './cursor';
import { slotId, type DayResult, type Selection } from './select-days';

export interface PageRow {
  archived: Archived;
  ms: number;
}

const byNewest = (a: PageRow, b: PageRow) =>
  b.ms - a.ms ||
  (a.archived.item.key < b.archived.item.key
    ? -1
    : a.archived.item.key > b.archived.item.key
      ? 1
      : 0);

const isAfter = (cursor: Cursor | undefined, row: PageRow) =>
  !cursor || row.ms < cursor.ms || (row.ms === cursor.ms && row.archived.item.key > cursor.key);

export async function collectPage(
  selection: Selection,
  cursor: Cursor | undefined,
  limit: number,
  load: (slots: Slot[]) => Promise<Array<Archived | undefined>>,
): Promise<{ rows: PageRow[]; more: boolean }> {
  const rows: PageRow[] = [];
  const loadKnown = async (slots: Slot[]) => {
    const missing = slots.filter((s) => !selection.loaded.has(slotId(s)));
    const fresh = missing.length > 0 ? await load(missing) : [];
    missing.forEach((s, i) => {
      if (fresh[i]) selection.loaded.set(slotId(s), fresh[i]);
    });
    return slots.map((s) => selection.loaded.get(slotId(s)));
  };

  const days = selection.days.filter(
    (d) => d.count > 0 && !(cursor && dayStart(d.day) > cursor.ms),
  );
  /** Reads day `from` if only counted, with the next days the page will probably need. */
  const read = async (from: number): Promise<Slot[]> => {
    const wanted: DayResult[] = [];
    for (let d = from, need = limit - rows.length + 1; d < days.length && need > 0; d++) {
      if (!days[d]!.slots) wanted.push(days[d]!);
      need -= days[d]!.count;
    }
    const lists = wanted.length > 0 ? await selection.slotsOf(wanted.map((d) => d.day)) : [];
    wanted.forEach((d, i) => {
      d.slots = lists[i] ?? [];
    });
    return days[from]!.slots ?? [];
  };
  for (let d = 0; d < days.length; d++) {
    const day = days[d]!;
    const slots = day.slots ?? (await read(d));
    let i = 0;
    while (cursor && i < slots.length && slots[i]!.ms > cursor.ms) i++;
    while (rows.length < limit && i < slots.length) {
      // A batch ends where the published time changes, so ties are ordered by key as a whole.
      let j = Math.min(slots.length, i + limit - rows.length);
      while (j < slots.length && slots[j]!.ms === slots[j - 1]!.ms) j++;
      const batch = slots.slice(i, j);
      i = j;
      const items = await loadKnown(batch);
      const found = batch.flatMap((s, k) => (items[k] ? [{ archived: items[k], ms: s.ms }] : []));
      rows.push(...found.filter((r) => isAfter(cursor, r)).sort(byNewest));
    }
    if (rows.length >= limit) {
      const more = rows.length > limit || i < slots.length || d + 1 < days.length;
      return { rows: rows.slice(0, limit), more };
    }
  }
  return { rows, more: false };
}
