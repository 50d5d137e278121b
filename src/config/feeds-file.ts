import { z } from 'zod';
import type { FeedDef } from '../domain/feed';
import { durationField, formatDuration } from './duration';

export const DEFAULT_INTERVAL_MS = 10 * 60_000;
/** A feed polled less often than weekly is not a news feed; the ceiling keeps every date valid. */
export const MAX_INTERVAL_MS = 7 * 86_400_000;
/** Someone else's server is polled at most once a minute: politeness. */
export const MIN_INTERVAL_MS = 60_000;
/**
 * A feed on this machine (a loopback address, a local file) may be polled every second: nobody
 * else's server pays for it, and a local bridge or a test's own feed server wants seconds.
 */
export const MIN_LOCAL_INTERVAL_MS = 1_000;

/** Whether a feeds.yaml URL names this machine: a loopback host, or a file. */
export function isOnThisMachine(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return true;
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const FeedUrl = z
  .string()
  .refine(
    (u) =>
      /^https?:\/\//i.test(u)
        ? URL.canParse(u)
        : !/^[a-z][a-z0-9+.-]*:\/\//i.test(u) || u.startsWith('file://'),
    'expected an http(s) URL or a local file path',
  );

export const FeedDefSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes')
      .max(64),
    url: FeedUrl,
    name: z.string().min(1).max(100).optional(),
    interval: durationField(MIN_LOCAL_INTERVAL_MS, MAX_INTERVAL_MS).default(DEFAULT_INTERVAL_MS),
    backfill: z.number().int().min(0).max(50).default(0),
  })
  .strict()
  .superRefine((feed, ctx) => {
    if (feed.interval < MIN_INTERVAL_MS && !isOnThisMachine(feed.url))
      ctx.addIssue({
        code: 'custom',
        path: ['interval'],
        message: `must be at least ${formatDuration(MIN_INTERVAL_MS)} (shorter only for a feed on this machine)`,
      });
  });
// The schema's output is the domain's FeedDef, field for field; this line stops compiling if not.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<z.infer<typeof FeedDefSchema>, FeedDef>;

export const FeedsFileSchema = z
  .object({ feeds: z.array(FeedDefSchema).default([]) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.feeds.forEach((feed, i) => {
      if (seen.has(feed.id))
        ctx.addIssue({
          code: 'custom',
          path: ['feeds', i, 'id'],
          message: `duplicate feed id "${feed.id}"`,
        });
      seen.add(feed.id);
    });
  });
export type FeedsFile = z.infer<typeof FeedsFileSchema>;
