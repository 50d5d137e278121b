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
