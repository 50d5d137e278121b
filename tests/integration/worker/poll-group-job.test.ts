/**
 * `worker.pollGroup(key)`: what a poll job runs (`start --role worker`). The engine's schedule is
 * the regular one; the group's own state says whether it is backing off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppHarness } from '../../support/app-harness';
import { type FeedServer, startFeedServer } from '../../support/feed-server';
import { rss } from '../../support/rss';

let server: FeedServer;
let harness: AppHarness;

afterEach(async () => {
  await harness.dispose();
  await server.close();
});

describe('pollGroup', () => {
  it('polls a due group, skips one backing off after a failure, and ignores groups not in the catalogue', async () => {
    server = await startFeedServer({
      '/fine.xml': { body: rss([{ title: 'Tide tables published', guid: 't-1' }]) },
      '/gone.xml': { status: 404, body: 'gone' },
    });
    harness = await AppHarness.create([
      { id: 'fine', url: server.url('/fine.xml') },
      { id: 'gone', url: server.url('/gone.xml') },
    ]);
    const app = await harness.open();

    expect(await app.worker.pollGroup(server.url('/fine.xml'))).toMatchObject({ kind: 'ok' });
    expect(await app.worker.pollGroup(server.url('/gone.xml'))).toMatchObject({ kind: 'failed' });
    // The next job for the failing URL comes before its backoff is over: nothing is fetched.
    expect(await app.worker.pollGroup(server.url('/gone.xml'))).toBeUndefined();
    expect(server.requests('/gone.xml')).toHaveLength(1);
    // A healthy group is polled whenever its job comes.
    expect(await app.worker.pollGroup(server.url('/fine.xml'))).toMatchObject({ kind: 'ok' });
    expect(server.requests('/fine.xml')).toHaveLength(2);
    // A job left over for a feed removed from the config.
    expect(await app.worker.pollGroup('https://removed.example/feed.xml')).toBeUndefined();
  });
});
