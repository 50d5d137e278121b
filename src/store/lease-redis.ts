import { type LeaseOps, parseHolder } from './lease';

/**
 * Leases in Redis: a free lease is taken with `SET NX PX` (expiry on the server's clock); renewing
 * or releasing one compares the holder and writes in one Lua script, which Redis runs atomically.
 */
export interface RedisLeaseClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

// Renews the lease if it is still ARGV[1]'s, takes it if it expired since the SET NX or is held
// by ARGV[4] (known dead); returns the holder after the call.
const RENEW = `
local current = redis.call('GET', KEYS[1])
if current then
  local id = cjson.decode(current).id
  if id ~= ARGV[1] and id ~= ARGV[4] then return current end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return ARGV[2]`;

const RELEASE = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).id == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

export function redisLeases(client: () => Promise<RedisLeaseClient>): LeaseOps {
  const key = (name: string) => `lease:${name}`;
  return {
    async claim(name, holder, ttlMs, replacing = '') {
      const c = await client();
      const value = JSON.stringify(holder);
      if ((await c.set(key(name), value, { NX: true, PX: ttlMs })) === 'OK') return { held: true };
      const now = await c.eval(RENEW, {
        keys: [key(name)],
        arguments: [holder.id, value, String(ttlMs), replacing],
      });
      const current = parseHolder(now);
      return current?.id === holder.id ? { held: true } : { held: false, holder: current };
    },
    async release(name, holderId) {
      const c = await client();
      await c.eval(RELEASE, { keys: [key(name)], arguments: [holderId] });
    },
    async holder(name) {
      // Redis expires the key itself: a lease past its time is gone.
      return parseHolder(await (await client()).get(key(name)));
    },
  };
}
