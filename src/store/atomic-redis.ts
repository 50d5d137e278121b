import { createHash } from 'node:crypto';
import { StoreError } from '../errors';
import type { RawPlan } from './atomic';

/**
 * `KV.update` on Redis: optimistic compare-and-set. The keys are read with one MGET, the plan
 * runs here, and one Lua script — which Redis runs atomically — checks that every key read still
 * holds what was read (by SHA-1, so the values do not travel twice) and only then writes. If
 * another writer got there first, the plan runs again on the fresh values.
 *
 * Lua rather than WATCH/MULTI/EXEC: WATCH belongs to a connection, so it would need a connection
 * of its own per update in flight, where the script runs on the shared client (@keyv/redis's
 * `getClient()`).
 */
export interface RedisAtomicClient {
  mGet(keys: string[]): Promise<Array<string | null>>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

// KEYS: the keys read, then the keys written. ARGV[1]: how many were read; then one SHA-1 per key
// read ('' for absent); then per key written its text and TTL in ms ('' for none; text '' with
// TTL '-' deletes it). Returns 0 if a key read has changed, 1 once written.
const COMPARE_AND_SET = `
local read = tonumber(ARGV[1])
for i = 1, read do
  local current = redis.call('GET', KEYS[i])
  local digest = ''
  if current then digest = redis.sha1hex(current) end
  if digest ~= ARGV[1 + i] then return 0 end
end
local at = 2 + read
for i = read + 1, #KEYS do
  local text, ttl = ARGV[at], ARGV[at + 1]
  at = at + 2
  if ttl == '-' then redis.call('DEL', KEYS[i])
  elseif ttl == '' then redis.call('SET', KEYS[i], text)
  else redis.call('SET', KEYS[i], text, 'PX', ttl) end
end
return 1`;

/** Attempts before giving up: only a key rewritten without pause by other writers gets there. */
const ATTEMPTS = 50;

const sha1 = (text: string | null) =>
  text === null ? '' : createHash('sha1').update(text, 'utf8').digest('hex');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function redisUpdate<R>(
  client: RedisAtomicClient,
  keys: string[],
  plan: RawPlan<R>,
): Promise<R> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const texts = keys.length === 0 ? [] : await client.mGet(keys);
    const { writes, result } = plan(texts.map((t) => t ?? undefined));
    if (writes.length === 0) return result;
    const args = [String(keys.length), ...texts.map(sha1)];
    for (const w of writes) {
      if (w.text === null) args.push('', '-');
      else args.push(w.text, w.ttlMs === undefined ? '' : String(Math.max(1, Math.round(w.ttlMs))));
    }
    const written = await client.eval(COMPARE_AND_SET, {
      keys: [...keys, ...writes.map((w) => w.key)],
      arguments: args,
    });
    if (written === 1) return result;
    // Many writers on one key: spread the retries so they stop colliding.
    if (attempt > 2) await pause(Math.random() * Math.min(50, 2 ** attempt));
  }
  throw new StoreError(`Store update gave up after ${ATTEMPTS} conflicting writes: ${keys[0]}`);
}
