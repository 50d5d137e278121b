import { z } from 'zod';
import { ConfigError } from '../errors';
import { formatPath } from './yaml-file';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .default('')
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

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
  STORE_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(600).default(30),
  ARCHIVE_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
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
  FETCH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  FETCH_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  FETCH_MAX_MB: z.coerce.number().min(0.1).max(100).default(10),
  LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(30),
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
