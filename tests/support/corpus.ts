/**
 * The feed corpus (kept outside the repo, named by FEED_CORPUS) as the tests that use it see it:
 * where it is, whether a run must have it, its files, and one file read the way production reads
 * a fetched body (bytes → decodeFeedBytes → parseFeed → normalisation).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FeedError } from '../../src/errors';
import { decodeFeedBytes } from '../../src/feeds/decode';
import type { Item, RawFeed } from '../../src/domain/item';
import { hasSomethingToRead, normalizeEntries } from '../../src/feeds/normalize';
import { parseFeed } from '../../src/feeds/parse';

const METADATA = new Set(['README.md', 'MANIFEST.tsv']);

export interface FeedCorpus {
  dir: string | undefined;
  available: boolean;
  /** CI (or REQUIRE_SERVICES=1) must not skip a corpus test: a missing corpus fails it. */
  required: boolean;
  /** Why the corpus is not available. */
  missing: string;
}

export function feedCorpus(): FeedCorpus {
  const dir = process.env.FEED_CORPUS;
  return {
    dir,
    available: !!dir && existsSync(dir) && statSync(dir).isDirectory(),
    required: process.env.CI === 'true' || process.env.REQUIRE_SERVICES === '1',
    missing: dir ? `FEED_CORPUS=${dir} is not a directory` : 'FEED_CORPUS is not set',
  };
}

/** Says once, at load, that a corpus test will be skipped, and how to run it. */
export function warnIfSkipped(corpus: FeedCorpus, test: string): boolean {
  const skipped = !corpus.available && !corpus.required;
  if (skipped)
    console.warn(`${test} skipped: ${corpus.missing} (point it at the corpus to run it)`);
  return skipped;
}

/** Every document under `dir` (recursively), sorted; the corpus's own metadata left out. */
export function corpusFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !METADATA.has(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export type CorpusRead =
  | {
      kind: 'read';
      text: string;
      feed: RawFeed;
      /** Every entry (normalizeEntries), including those production holds back for now. */
      entries: Item[];
      /** What production keeps (normalizeFeed): entries with something to read. */
      items: Item[];
    }
  | { kind: 'error'; text: string; message: string };

/** Reads one corpus file as production reads a body; a FeedError is an outcome, anything else throws. */
export async function readCorpusFile(file: string): Promise<CorpusRead> {
  const text = decodeFeedBytes(await readFile(file));
  try {
    const feed = await parseFeed(text, `file://${file}`);
    const entries = normalizeEntries(feed, {
      feedId: 'corpus',
      fetchedAt: new Date('2025-01-01T00:00:00Z'),
      url: 'https://corpus.example/feed.xml',
    });
    return { kind: 'read', text, feed, entries, items: entries.filter(hasSomethingToRead) };
  } catch (error) {
    if (error instanceof FeedError) return { kind: 'error', text, message: error.message };
    throw error;
  }
}
