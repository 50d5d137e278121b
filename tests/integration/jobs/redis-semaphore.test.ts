import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisSemaphore } from '../../../src/jobs/redis-semaphore';
import { REDIS_URL, backends, reachable, servicesRequired } from '../../support/stores';

/** Connections of their own, as separate processes have; a fresh prefix keeps runs apart. */
const open: Redis[] = [];
function connect(): Redis {
  const redis = new Redis(REDIS_URL);
  open.push(redis);
  return redis;
}
const prefix = () => `test-sem-${process.pid}-${Math.random().toString(36).slice(2)}:`;

afterEach(() => {
  for (const r of open.splice(0)) r.disconnect();
});

/** Needs the Redis on 127.0.0.1 (skipped without it, unless REQUIRE_SERVICES=1 as in CI). */
const redisUp = (await reachable(backends.find((b) => b.name === 'redis')!)) || servicesRequired;
describe.skipIf(!redisUp)('the Redis semaphore', () => {
  it('lets at most `limit` holders of a name run at once across connections', async () => {
    const p = prefix();
    const sems = [connect(), connect(), connect()].map((r) =>
      createRedisSemaphore(r, { prefix: p, limit: 2, ttlMs: 5000, retryMs: 10 }),
    );
    let running = 0;
    let most = 0;
    const ran: number[] = [];
    await Promise.all(
      Array.from({ length: 9 }, async (_, i) => {
        const release = await sems[i % 3]!.acquire('example.org');
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 30));
        running--;
        ran.push(i);
        release();
      }),
    );
    expect(ran).toHaveLength(9);
    expect(most).toBe(2);
  });

  it('keeps names apart: a busy host does not hold up another', async () => {
    const sem = createRedisSemaphore(connect(), { prefix: prefix(), limit: 1, ttlMs: 5000 });
    await sem.acquire('a.example');
    const other = await sem.acquire('b.example');
    expect(other).toBeTypeOf('function');
  });

  it("frees a killed holder's slot once its time to live has passed", async () => {
    const p = prefix();
    const doomed = connect();
    await createRedisSemaphore(doomed, { prefix: p, limit: 1, ttlMs: 300 }).acquire('host');
    // The holder's process dies: no release, no renewal.
    doomed.disconnect();
    const sem = createRedisSemaphore(connect(), { prefix: p, limit: 1, ttlMs: 300, retryMs: 20 });
    const started = Date.now();
    await sem.acquire('host');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('renews a live holder, so a long fetch keeps its slot past the time to live', async () => {
    const p = prefix();
    const holder = createRedisSemaphore(connect(), { prefix: p, limit: 1, ttlMs: 150 });
    const release = await holder.acquire('host');
    const waiter = createRedisSemaphore(connect(), {
      prefix: p,
      limit: 1,
      ttlMs: 150,
      retryMs: 20,
    });
    const abort = new AbortController();
    const late = waiter.acquire('host', abort.signal);
    late.catch(() => {});
    await new Promise((r) => setTimeout(r, 600));
    abort.abort(new Error('gave up'));
    await expect(late).rejects.toThrow('gave up');
    release();
  });
});
