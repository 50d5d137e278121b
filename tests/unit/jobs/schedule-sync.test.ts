import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepSchedulesInStep } from '../../../src/jobs/schedule-sync';
import { memoryLogger } from '../../../src/log';
import type { FetchGroup } from '../../../src/worker/schedule';

const group = (url: string, intervalMs = 60_000): FetchGroup => ({
  key: url,
  url,
  trust: 'trusted',
  feeds: [],
  intervalMs,
});

describe('keepSchedulesInStep', () => {
  afterEach(() => vi.useRealTimers());

  it('syncs at start and again only when the catalogue changed', async () => {
    vi.useFakeTimers();
    let groups = [group('https://a.example/'), group('https://b.example/')];
    const sync = vi.fn(async () => ({ added: 0, changed: 0, removed: 0 }));
    const keeper = keepSchedulesInStep({
      engine: { sync },
      groups: () => groups,
      logger: memoryLogger(),
      everyMs: 1000,
    });
    await keeper.first;
    await vi.advanceTimersByTimeAsync(3000);
    expect(sync).toHaveBeenCalledTimes(1);
    // The same groups in another order are the same schedule.
    groups = [...groups].reverse();
    await vi.advanceTimersByTimeAsync(1000);
    expect(sync).toHaveBeenCalledTimes(1);
    groups = [group('https://a.example/', 120_000), group('https://b.example/')];
    await vi.advanceTimersByTimeAsync(1000);
    expect(sync).toHaveBeenCalledTimes(2);
    expect(sync).toHaveBeenLastCalledWith(groups);
    keeper.stop();
  });

  it('tries a failed sync again at the next look', async () => {
    vi.useFakeTimers();
    const sync = vi
      .fn<() => Promise<{ added: number; changed: number; removed: number }>>()
      .mockRejectedValueOnce(new Error('queue away'))
      .mockResolvedValue({ added: 1, changed: 0, removed: 0 });
    const logger = memoryLogger();
    const keeper = keepSchedulesInStep({
      engine: { sync },
      groups: () => [group('https://a.example/')],
      logger,
      everyMs: 1000,
    });
    await expect(keeper.first).rejects.toThrow('queue away');
    await vi.advanceTimersByTimeAsync(1000);
    expect(sync).toHaveBeenCalledTimes(2);
    expect(logger.lines.join('\n')).toContain('job schedules updated');
    keeper.stop();
  });
});
