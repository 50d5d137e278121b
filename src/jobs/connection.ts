import { Redis } from 'ioredis';

/**
 * A connection to the job engine's Redis. BullMQ's workers block on Redis and must never give up
 * a command (`maxRetriesPerRequest: null`: they wait out an outage); anything else — the queue's
 * own calls, the semaphores, presence — fails after a few tries, so the worker pauses and says so
 * instead of hanging without a word.
 */
export function connectRedis(url: string, use: 'blocking' | 'commands'): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: use === 'blocking' ? null : 3,
    connectionName: 'briefing-bot',
  });
}

/**
 * A short look at the job engine's Redis from a command (status, a start's check for workers): a
 * connection for `use`, then closed. Its connection errors reach `use`'s commands, which fail
 * after a few tries, rather than the process's error handler.
 */
export async function withRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = connectRedis(url, 'commands');
  redis.on('error', () => {});
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}
