import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StoreError } from '../errors';

/**
 * A counting semaphore shared by every process on one Redis: at most `limit` holders of a name at
 * once. Each slot is a member of a sorted set scored by when it expires, so a holder that was
 * killed frees its slot after `ttlMs` without anyone releasing it; a live holder renews its slot
 * every third of that. Taking a slot is one Lua script (expire, count, add), which Redis runs
 * atomically, on the server's clock so that processes' clocks need not agree.
 */
export interface Semaphore {
  /** Resolves with a release once a slot is free; rejects with the signal's reason on abort. */
  acquire(name: string, signal?: AbortSignal): Promise<() => void>;
}

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS[1] the set; ARGV: token, limit, ttl. 1 when the token now holds a slot.
const TAKE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

// Pushes the token's expiry on, if it still holds its slot.
const RENEW = `${NOW}
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

export interface SemaphoreOptions {
  /** Before every key (`<prefix><name>`). */
  prefix: string;
  limit: number;
  /** How long a slot outlives its holder's last renewal. */
  ttlMs: number;
  /** How often a waiter tries again. @default 100 */
  retryMs?: number;
}

export function createRedisSemaphore(redis: Redis, options: SemaphoreOptions): Semaphore {
  const { prefix, limit, ttlMs } = options;
  const retryMs = options.retryMs ?? 100;
  const call = async (script: string, key: string, ...args: Array<string | number>) => {
    try {
      return await redis.eval(script, 1, key, ...args);
    } catch (err) {
      throw new StoreError(`Job queue semaphore failed: ${(err as Error).message}`, { cause: err });
    }
  };

  function hold(key: string, token: string): () => void {
    // Renewal failures are left to the expiry: the slot frees itself, which errs on the polite side.
    const renewal = setInterval(
      () => void call(RENEW, key, token, ttlMs).catch(() => {}),
      Math.max(50, Math.floor(ttlMs / 3)),
    );
    renewal.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      void redis.zrem(key, token).catch(() => {});
    };
  }

  return {
    async acquire(name, signal) {
      const key = prefix + name;
      const token = randomUUID();
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        if ((await call(TAKE, key, token, limit, ttlMs)) === 1) return hold(key, token);
        // Jittered, so waiters on one busy name do not all ask at the same instant.
        await pause(retryMs * (0.5 + Math.random()), signal);
      }
    },
  };
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
