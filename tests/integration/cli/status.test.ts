/**
 * `briefing status` as an operator runs it: the real CLI in a child process, reading the SQLite
 * store of a bot that is still open in this process (one feed fine, one failing, one delivery
 * waiting in the outbox).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/kv';
import { thisProcess } from '../../../src/store/lease';
import { newDelivery } from '../../../src/store/outbox';
import { AppHarness } from '../../support/app-harness';
import { runBriefing } from '../../support/cli-once';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { entries, rss } from '../../support/rss';

let server: FeedServer;
let harness: AppHarness;
const cli = (...args: string[]) =>
  runBriefing(
    ['--config', harness.dir, ...args],
    { STORE_URL: `sqlite://${join(harness.dir, 'store.sqlite')}` },
    60_000,
  );

beforeAll(async () => {
  server = await startFeedServer({
    '/status-news.xml': { body: rss(entries(2)) },
    '/status-gone.xml': { status: 404, body: 'gone' },
  });
  harness = await AppHarness.create([
    { id: 'news', url: server.url('/status-news.xml') },
    { id: 'gone', url: server.url('/status-gone.xml') },
  ]);
  const app = await harness.open();
  await app.worker.pollOnce();
  // A delivery held for later, as a digest channel's would be.
  const held = newDelivery({ kind: 'console' }, 'key-x', [], new Date());
  await app.stores.outbox.add([
    { ...held, notBefore: new Date(Date.now() + 3_600_000).toISOString() },
  ]);
});
afterAll(async () => {
  await harness.dispose();
  await server.close();
});

describe('briefing status', () => {
  it('--json: the failing feed with its error, the backlog, the last poll, and nobody holding the lease', async () => {
    const run = await cli('status', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.store).toMatchObject({ backend: 'sqlite' });
    expect(report.feeds).toMatchObject({ urls: 2, ok: 1, neverPolled: 0 });
    expect(report.feeds.failing).toEqual([
      expect.objectContaining({
        feeds: ['gone'],
        url: server.url('/status-gone.xml'),
        failures: 1,
        lastError: `Feed fetch failed (404 Not Found): ${server.url('/status-gone.xml')}`,
      }),
    ]);
    expect(report.backlog).toMatchObject({ pending: 1, due: 0, waiting: 1 });
    expect(Date.parse(report.lastPollAt)).toBeGreaterThan(Date.now() - 600_000);
    expect(report.lease).toBe('worker: nobody holds it');
    expect(report.roles).toBe('none running: no `briefing start` on this store');
  });

  it('prints the same picture for a person, with the instance that holds the lease', async () => {
    const kv = await openStore(`sqlite://${join(harness.dir, 'store.sqlite')}`);
    const holder = thisProcess(new Date());
    expect(await kv.claimLease('worker', holder, 60_000)).toEqual({ held: true });
    const run = await cli('status');
    await kv.releaseLease('worker', holder.id);
    await kv.close();
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^store {6}sqlite \(sqlite:\/\/.*store\.sqlite\): answers in \d+ ms$/);
    expect(lines[1]).toMatch(/^last poll {2}\d{4}-\d\d-\d\dT.* \(\d+s ago\)$/);
    expect(lines[2]).toBe('feeds      2 URLs polled: 1 ok, 1 failing, 0 not polled yet');
    expect(lines[3]).toContain(`failing  gone ${server.url('/status-gone.xml')}: 1 failure since `);
    expect(lines[4]).toContain('Feed fetch failed (404 Not Found)');
    expect(lines[5]).toMatch(/^backlog {4}1 pending: 0 due now, 1 waiting/);
    expect(lines.slice(6, 8)).toEqual([
      `lease      worker: host ${holder.host}, pid ${process.pid}, since ${holder.since}`,
      'roles      one process (role all) does all the work',
    ]);
  });
});
