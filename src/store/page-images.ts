import type { Trust } from '../domain/feed';
import { digest } from './hash';
import type { KV } from './kv';

/** How long what a page said is remembered: longer than an item takes to reach every feed that lists it. */
export const PAGE_IMAGE_TTL_MS = 7 * 86_400_000;

/** What reading a page gave: its image URL, or nothing (it names none, or could not be read). */
export interface PageImageRecord {
  image?: string;
}

export interface PageImagesRepo {
  /** One answer per page: its record, or undefined when it was never read (or forgotten). */
  getMany(
    pages: Array<{ link: string; trust: Trust }>,
  ): Promise<Array<PageImageRecord | undefined>>;
  record(link: string, trust: Trust, image: string | undefined): Promise<void>;
}

/**
 * Page link → the picture its head names (`pimg:` namespace), misses included, so a page is read
 * at most once while its record lives, however many feeds list it. The trust it was read under
 * is part of the key: a page the operator's feed could reach must not answer for a guild's feed
 * listing the same (maybe internal) link.
 */
export function createPageImagesRepo(kv: KV, options: { ttlMs?: number } = {}): PageImagesRepo {
  const ttlMs = options.ttlMs ?? PAGE_IMAGE_TTL_MS;
  const key = (link: string, trust: Trust) => `pimg:${digest(`${trust}\n${link}`, 24)}`;
  return {
    async getMany(pages) {
      const records = await kv.getMany<PageImageRecord>(pages.map((p) => key(p.link, p.trust)));
      // Read back as written; a record of another shape is none, and the page is read again.
      return records.map((r) =>
        r && typeof r === 'object' && (r.image === undefined || typeof r.image === 'string')
          ? r
          : undefined,
      );
    },
    record: (link, trust, image) => kv.set(key(link, trust), image ? { image } : {}, ttlMs),
  };
}
