/**
 * Worker thread for the feed corpus test: reads one file per message the way production does
 * (see readCorpusFile) and reports how it went. Runs in its own thread so that the test can
 * terminate it if a file hangs the parser.
 */
import { parentPort } from 'node:worker_threads';
import { readCorpusFile } from './corpus';

export interface CorpusJob {
  file: string;
}

export type CorpusOutcome =
  | { kind: 'read'; parser: 'rss-parser' | 'feedsmith'; items: number }
  | { kind: 'error'; message: string }
  | { kind: 'crash'; message: string };

async function readOne(file: string): Promise<CorpusOutcome> {
  try {
    const read = await readCorpusFile(file);
    return read.kind === 'read'
      ? { kind: 'read', parser: read.feed.parser, items: read.items.length }
      : { kind: 'error', message: read.message };
  } catch (error) {
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
