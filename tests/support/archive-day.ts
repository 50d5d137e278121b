import { type ArchiveRepo, dayStart, unpackSlot } from '../../src/store/archive';

/**
 * One day's archived items (all, or those that matched `topicId`) as `[key, published ms]` in
 * arrival order, read through the archive's public list API: what tests assert on.
 */
export async function dayItems(
  archive: ArchiveRepo,
  day: string,
  topicId?: string,
): Promise<Array<[key: string, publishedMs: number]>> {
  const [packed = new Float64Array()] = await archive.entries([
    { day, index: topicId ? { kind: 'topic', id: topicId } : { kind: 'all' } },
  ]);
  const start = dayStart(day);
  const slots = Array.from(packed, (p) => unpackSlot(p, day, start));
  const items = await archive.load(slots);
  return slots.flatMap((s, i) => {
    const key = items[i]?.item.key;
    return key === undefined ? [] : [[key, s.ms] as [string, number]];
  });
}
