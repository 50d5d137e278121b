import { z } from 'zod';

/**
 * The normalised form of one feed entry, the unit every later stage works on.
 * Dates are ISO-8601 strings so an Item survives JSON round trips through any store unchanged.
 */
export const ItemSchema = z.object({
  /** Stable across runs: hash of feed id + guid, else link, else title + date. */
  key: z.string().min(1),
  /** Recognises the same story from several feeds: normalised link, else a title fingerprint. */
  storyKey: z.string().min(1),
  feedId: z.string().min(1),
  guid: z.string().optional(),
  link: z.string().optional(),
  title: z.string(),
  /** Plain text of the feed's short description/summary ('' when the feed gives none). */
  description: z.string(),
  /** Plain text of the full content (falls back to the description). Paragraphs separated by blank lines. */
  text: z.string(),
  author: z.string().optional(),
  categories: z.array(z.string()),
  publishedAt: z.string(),
  fetchedAt: z.string(),
  lang: z.string().optional(),
  /** An absolute http(s) URL of the item's picture, when the feed names one. */
  image: z.string().optional(),
});
export type Item = z.infer<typeof ItemSchema>;

/** What a parser extracts from one entry, before normalisation; every field is as found. */
export interface RawEntry {
  guid?: string;
  link?: string;
  title?: string;
  /** Full content as HTML (content:encoded, atom content). */
  contentHtml?: string;
  /** Summary/description as HTML or text. */
  summaryHtml?: string;
  author?: string;
  categories: string[];
  /** Date strings exactly as found (pubDate, dc:date, published, updated). */
  published?: string;
  updated?: string;
}

export interface RawFeed {
  title?: string;
  link?: string;
  language?: string;
  entries: RawEntry[];
  /** Which parser read it: rss-parser first, feedsmith where rss-parser could not. */
  parser: 'rss-parser' | 'feedsmith';
}
