/**
 * Every field of a feed entry is cut to a size a news item can have, before anything reads it.
 *
 * The fetcher caps a document (`FETCH_MAX_MB`), not a field: without this, one item whose
 * description is 7 MB of words is converted to text, tokenised, matched and archived whole, and
 * costs the process a gigabyte, while the same bytes spread over thousands of ordinary items cost
 * a tenth of that. The limits are on the raw (HTML) text, so the conversion to plain text, the
 * matcher and the archive never see more; they are generous for real stories (a long-form
 * article is 60–100 KB of HTML) and only ever bite on documents built to hurt.
 */
import type { RawEntry } from '../domain/item';

/** Characters kept of each raw field; what is cut ends with `…`. */
export const FIELD_LIMITS = {
  title: 1_000,
  summaryHtml: 64 * 1024,
  contentHtml: 256 * 1024,
  author: 500,
  /** Guids and links are identities: long ones are hashed anyway, so the cut only saves memory. */
  guid: 2_048,
  link: 2_048,
  category: 200,
  categories: 50,
  date: 100,
} as const;

/** How far back from the limit a cut looks for a space, so that words are not split. */
const WORD_BOUNDARY_REACH = 200;

/** `text` cut to at most `max` characters (plus `…`), at a space when there is one near the limit. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const space = text.lastIndexOf(' ', max);
  const end = space > Math.max(0, max - WORD_BOUNDARY_REACH) ? space : max;
  // Copying the kept part (rather than a slice that points into the original) lets the huge
  // original string be collected while the item lives on.
  return `${Buffer.from(text.slice(0, end), 'utf8').toString('utf8').trimEnd()}…`;
}

function clipOptional(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : clipText(text, max);
}

/** A copy of the entry with every field within {@link FIELD_LIMITS}. */
export function clipEntry(entry: RawEntry): RawEntry {
  const L = FIELD_LIMITS;
  return {
    ...entry,
    guid: clipOptional(entry.guid, L.guid),
    link: clipOptional(entry.link, L.link),
    title: clipOptional(entry.title, L.title),
    contentHtml: clipOptional(entry.contentHtml, L.contentHtml),
    summaryHtml: clipOptional(entry.summaryHtml, L.summaryHtml),
    author: clipOptional(entry.author, L.author),
    categories: entry.categories.slice(0, L.categories).map((c) => clipText(c, L.category)),
    published: clipOptional(entry.published, L.date),
    updated: clipOptional(entry.updated, L.date),
  };
}
