/**
 * One writer process for concurrent-processes.test.ts: opens the store named on the command line
 * (URL, key prefix, writer number) and, all at once, queues deliveries in the outbox, archives
 * feed polls into one day and takes posts from one channel's hourly budget — the shared records
 * several worker processes write. Says `ready` once connected and starts on a line on stdin, so
 * that all writers really write at the same time; then prints the posts it was granted.
 */
import { once } from 'node:events';
import { createArchiveRepo } from '../../../src/store/archive';
import { openStore } from '../../../src/store/kv';
import { createOutboxRepo, newDelivery } from '../../../src/store/outbox';
import { createPostBudgetRepo } from '../../../src/store/post-budget';
import { newsItem } from './archive-items';

const [url, prefix, writer] = process.argv.slice(2) as [string, string, string];
const w = Number(writer);
const kv = await openStore(url, { prefix });
const outbox = createOutboxRepo(kv);
const archive = createArchiveRepo(kv, { retentionMs: 30 * 86_400_000 });
const budget = createPostBudgetRepo(kv, { perPoll: 20, perChannelPerHour: 40 });
const now = new Date('2026-12-07T12:00:00Z');
console.log('ready');
await once(process.stdin, 'data');
const granted = await Promise.all(
  Array.from({ length: 10 }, async (_, f) => {
    await outbox.add([
      newDelivery({ kind: 'channel', channelId: `1000000000000000${w}` }, `w${w}-f${f}`, [], now),
    ]);
    await archive.put(
      Array.from({ length: 4 }, (_, i) => ({
        item: newsItem(w * 1000 + f * 10 + i, { feedId: `feed-${w}` }),
        matches: [],
      })),
    );
    return (await budget.take(new Map([['shared', 3]]), now)).get('shared') ?? 0;
  }),
);
await kv.close();
console.log(JSON.stringify({ granted: granted.reduce((a, b) => a + b, 0) }));
