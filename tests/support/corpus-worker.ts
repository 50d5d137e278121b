/**
 * Worker thread for the feed corpus test: reads one file per message the way production does
 * (bytes → decodeFeedBytes → parseFeed → normalizeFeed) and reports how it went. Runs in its
 * own thread so that the test can terminate it if a file hangs the parser.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { FeedError } from '../../src/errors';
import { decodeFeedBytes } from '../../src/feeds/decode';
import { normalizeFeed } from '../../src/feeds/normalize';
import { parseFeed } from '../../src/feeds/parse';

export interface CorpusJob {
  file: string;
}

export type CorpusOutcome =
  | { kind: 'read'; parser: 'rss-parser' | 'feedsmith'; items: number }
  | { kind: 'error'; message: string }
  | { kind: 'crash'; message: string };

async function readOne(file: string): Promise<CorpusOutcome> {
  try {
    const text = decodeFeedBytes(await readFile(file));
    const feed = await parseFeed(text, `file://${file}`);
    const fetchedAt = new Date('2025-01-01T00:00:00Z');
    const items = normalizeFeed(feed, {
      feedId: 'corpus',
      fetchedAt,
      url: 'https://corpus.example/feed.xml',
    });
    return { kind: 'read', parser: feed.parser, items: items.length };
  } catch (error) {
    if (error instanceof FeedError) return { kind: 'error', message: error.message };
    return {
      kind: 'crash',
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

parentPort?.on('message', (job: CorpusJob) => {
  void readOne(job.file).then((outcome) => parentPort?.postMessage(outcome));
});
// Loading TypeScript takes a while; the test starts each file's clock only after this.
parentPort?.postMessage({ kind: 'ready' });
