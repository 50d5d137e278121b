import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../src/feeds/fetch-limits';

/** Lets the promises of newly granted waiters settle. */
const settle = () => new Promise((r) => setImmediate(r));

/** Records the order in which acquisitions are granted. */
function track(limiter: ReturnType<typeof createLimiter>) {
  const granted: string[] = [];
  const releases = new Map<string, () => void>();
  const acquire = (name: string, host: string, signal?: AbortSignal) =>
    limiter.acquire(host, signal).then((release) => {
      granted.push(name);
      releases.set(name, release);
    });
  const release = async (name: string) => {
    releases.get(name)!();
    await settle();
  };
  return { granted, acquire, release };
}

describe('createLimiter', () => {
  it('caps the fetches per host and grants the queued ones in arrival order', async () => {
    const t = track(createLimiter(8, 2));
    for (const name of ['a1', 'a2', 'a3', 'a4']) void t.acquire(name, 'a.test');
    await settle();
    expect(t.granted).toEqual(['a1', 'a2']);
    await t.release('a2');
    expect(t.granted).toEqual(['a1', 'a2', 'a3']);
    await t.release('a1');
    expect(t.granted).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('caps the fetches overall without letting one busy host block another', async () => {
    const limiter = createLimiter(3, 2);
    const t = track(limiter);
    for (const [name, host] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['a3', 'a'],
      ['b1', 'b'],
      ['b2', 'b'],
      ['c1', 'c'],
    ]) {
      void t.acquire(name!, host!);
    }
    await settle();
    // a3 waits for host a; b1 takes the last global slot; b2 and c1 wait for a global slot.
    expect(t.granted).toEqual(['a1', 'a2', 'b1']);
    expect(limiter.active).toBe(3);
    await t.release('a1');
    // a3 arrived first and host a has room again, so it goes before b2 and c1.
    expect(t.granted).toEqual(['a1', 'a2', 'b1', 'a3']);
    await t.release('b1');
    expect(t.granted.at(-1)).toBe('b2');
    await t.release('a2');
    expect(t.granted.at(-1)).toBe('c1');
    expect(limiter.active).toBe(3);
  });

  it('ignores a second release of the same slot', async () => {
    const limiter = createLimiter(1, 1);
    const release = await limiter.acquire('a');
    release();
    release();
    expect(limiter.active).toBe(0);
    await limiter.acquire('a');
    expect(limiter.active).toBe(1);
  });

  it('drops an aborted waiter from the queue and rejects it with the abort reason', async () => {
    const limiter = createLimiter(1, 1);
    const t = track(limiter);
    await t.acquire('first', 'a');
    const controller = new AbortController();
    const aborted = t.acquire('aborted', 'a', controller.signal);
    void t.acquire('next', 'a');
    controller.abort(new Error('shutting down'));
    await expect(aborted).rejects.toThrow('shutting down');
    await t.release('first');
    expect(t.granted).toEqual(['first', 'next']);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const limiter = createLimiter(1, 1);
    await expect(limiter.acquire('a', AbortSignal.abort(new Error('gone')))).rejects.toThrow(
      'gone',
    );
    expect(limiter.active).toBe(0);
  });

  it('refuses limits below one', () => {
    expect(() => createLimiter(0, 1)).toThrow(RangeError);
    expect(() => createLimiter(1, 0)).toThrow(RangeError);
  });
});
