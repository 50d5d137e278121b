import { z } from 'zod';
import { ConfigError } from '../errors';
import { DEFAULT_FLOOD_LIMITS } from '../store/post-budget';
import { formatPath } from './yaml-file';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .default('')
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/**
 * A number written in decimal, with a floor and a ceiling. Plain `z.coerce.number()` would also
 * read `0x10`, `1e3` or ` ` (as 0), so a typo could silently become another setting.
 */
const decimal = (min: number, max: number, fallback: number, int = false) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => (int ? /^\d+$/ : /^\d+(\.\d+)?$/).test(v.trim()), {
      message: int ? 'expected a whole number' : 'expected a decimal number',
    })
    .transform((v) => Number(v))
    .pipe(z.number().min(min).max(max));

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/** Every environment variable the bot reads; `.env.example` documents each one. */
export const EnvSchema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_API_URL: optionalText.pipe(z.url().optional()),
  STORE_URL: z
    .string()
    .default('sqlite://data/briefing.sqlite')
    .refine(
      (u) => /^(sqlite|redis|rediss|postgres|postgresql):\/\//.test(u),
      'expected sqlite://, redis:// or postgres:// URL',
    ),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  STORE_TIMEOUT_SECONDS: decimal(0.1, 600, 30),
  ARCHIVE_DAYS: decimal(1, 3650, 180, true),
  OWNER_IDS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^\d{15,21}$/, 'expected Discord user ids (digits)'))),
  ALLOW_PRIVATE_FEEDS: flag,
  ALLOW_CLOUD_METADATA_FEEDS: flag,
  FETCH_CONCURRENCY: decimal(1, 256, 8, true),
  FETCH_TIMEOUT_SECONDS: decimal(1, 300, 30, true),
  FETCH_MAX_MB: decimal(0.1, 100, 10),
  /** Read an item's article page for its og:image when the feed gives no picture (off by default). */
  OG_IMAGE: flag,
  /** The health and metrics listener: off unless set; 0 picks a free port (the log says which). */
  HTTP_PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'expected a port number (0 to 65535)')
      .transform(Number)
      .pipe(z.number().int().max(65_535))
      .optional(),
  ),
  HTTP_HOST: z
    .string()
    .trim()
    .default('127.0.0.1')
    .pipe(
      z
        .string()
        .max(253)
        .regex(/^[A-Za-z0-9.:-]+$/, 'expected a host name or IP address to listen on'),
    ),
  FEED_MAX_POSTS_PER_POLL: decimal(1, 1000, DEFAULT_FLOOD_LIMITS.perPoll, true),
  CHANNEL_MAX_POSTS_PER_HOUR: decimal(1, 3600, DEFAULT_FLOOD_LIMITS.perChannelPerHour, true),
  LEASE_SECONDS: decimal(1, 3600, 30),
  /**
   * The job engine's Redis, for `start --role worker|bot`; unset, STORE_URL when that is redis://.
   * Role `all` never uses it.
   */
  QUEUE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL')
      .optional(),
  ),
  /** Put before every key of the store and the job engine, so deployments can share one server. */
  STORE_PREFIX: z
    .string()
    .trim()
    .default('')
    .pipe(z.string().regex(/^[A-Za-z0-9_.:-]*$/, 'expected letters, digits and . _ : -')),
});
export type Env = z.infer<typeof EnvSchema>;

/** Validates the environment once; an error names the variable, never echoes a secret's value. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return Object.freeze(result.data);
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      file: 'environment',
      path: formatPath(issue.path),
      message: issue.message,
    })),
  );
}
