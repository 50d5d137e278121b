/**
 * Two instances on one store — a systemd unit plus a manual run, a rolling deploy — as real child
 * processes of the CLI. Without a lease both poll and both deliver most new items twice; with it
 * one is active, another refuses (exit 2, naming the holder) or waits as a hot standby and takes
 * over when the active one dies.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NEWS, OTHER } from '../support/bot-harness';
import { AppHarness } from '../support/app-harness';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { type CliRun, exitWithin, runCli } from '../support/reliability/child-cli';
import { startCrashRig, type CrashRig } from '../support/reliability/crash-rig';
import { rss, type TestEntry } from '../support/rss';

const CHANNELS = [NEWS, OTHER];

const story = (n: number): TestEntry => ({
  title: `Story ${n} for two instances`,
  guid: `two-${n}`,
  link: `https://example.org/two/${n}`,
  pubDate: new Date(Date.now() - 60_000 + n * 1000).toUTCString(),
});

let server: FeedServer;
let harness: AppHarness | undefined;
let rig: CrashRig | undefined;
const children: CliRun[] = [];
beforeAll(async () => (server = await startFeedServer({})));
afterAll(() => server.close());
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await harness?.dispose();
  await rig?.close();
  harness = rig = undefined;
});

/** How often each title appears in the text. */
/** How many briefing objects (console --json lines) carry each title as their item's. */
function counts(jsonLines: string, titles: string[]): number[] {
  const printed = jsonLines
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { item?: { title?: string } }).item?.title);
  return titles.map((t) => printed.filter((p) => p === t).length);
}

describe('two instances on one store', () => {
  it('two poll --once at the same time: one refuses with exit 2 and names the holder, the other delivers every new item once', async () => {
    const path = '/two-polls.xml';
    const old = [1, 2].map(story);
    server.setRoute(path, { body: rss(old) });
    harness = await AppHarness.create([{ id: 'news', url: server.url(path) }]);
    const dir = harness.dir;
    const poll = () => {
      const run = runCli(
        ['poll', '--once', '--json', '--config', dir],
        { STORE_URL: `sqlite://${join(dir, 'store.sqlite')}` },
        { cwd: dir },
      );
      children.push(run);
      return run;
    };
    expect((await exitWithin(poll(), 20_000)).code).toBe(0);

    const fresh = [3, 4, 5, 6, 7].map(story);
    // The feed answers only once one of the two has exited, so both are surely running at once.
    let oneExited!: () => void;
    const gate = new Promise<void>((resolve) => (oneExited = resolve));
    server.setRoute(path, async (_req, res) => {
      await gate;
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([...fresh, ...old]));
    });
    const runs = [poll(), poll()];
    void Promise.race(runs.map((r) => r.exited)).then(oneExited);
    const exits = await Promise.all(runs.map((r) => exitWithin(r, 30_000)));

    expect(exits.map((e) => e.code).sort()).toEqual([0, 2]);
    const active = runs[exits.findIndex((e) => e.code === 0)]!;
    const refused = runs[exits.findIndex((e) => e.code === 2)]!;
    expect(refused.stderr()).toContain(
      `another instance is active on this store (host ${hostname()}, pid ${active.child.pid}, since 20`,
    );
    expect(refused.stdout()).toBe('');
    expect(
      counts(
        active.stdout(),
        fresh.map((s) => s.title),
      ),
    ).toEqual([1, 1, 1, 1, 1]);
    // The feed was fetched by the active one only.
    expect(server.requests(path)).toHaveLength(2);
  }, 60_000);

  it('a start killed with SIGKILL: the standby takes over and posts the rest exactly once', async () => {
    const r = (rig = await startCrashRig({ feeds: 2, channels: CHANNELS }));
    r.publish(0, 1);
    r.publish(1, 1);
    expect((await exitWithin(r.run(['poll', '--once']), 20_000)).code).toBe(0);
    const primed = new Set(r.published);
    const env = { LEASE_SECONDS: '3' };

    r.publish(0, 2);
    r.publish(1, 2);
    await r.makeFeedsDue();
    const active = r.run(['start'], env);
    children.push(active);
    await r.fake.waitForMessages(NEWS, 1, 30_000);
    const standby = r.run(['start', '--standby'], { ...env, HTTP_PORT: '0' });
    children.push(standby);
    await standby.waitForOutput(
      `standby: another instance is active (host ${hostname()}, pid ${active.child.pid}`,
    );
    // Waiting is the standby's job: a supervisor probing /healthz must not restart it for that.
    const healthz = `${/health and metrics at (http:\/\/\S+)\/healthz/.exec(standby.output())![1]}/healthz`;
    const waiting = await fetch(healthz);
    expect(waiting.status).toBe(200);
    expect(await waiting.json()).toMatchObject({ ok: true, state: 'standby', reasons: [] });

    active.kill('SIGKILL');
    expect((await exitWithin(active, 10_000)).signal).toBe('SIGKILL');
    // More news while no instance is active; the standby's first round must find it.
    r.publish(0, 2);
    r.publish(1, 1);
    await r.makeFeedsDue();
    await standby.waitForOutput('standby: the lease is ours; this instance is now active');

    const expected = r.published.filter((t) => !primed.has(t));
    for (const channel of CHANNELS) await r.fake.waitForMessages(channel, expected.length, 30_000);
    expect(await (await fetch(healthz)).json()).toMatchObject({
      ok: true,
      state: 'active',
      gateway: 'connected',
    });
    standby.kill('SIGTERM');
    expect((await exitWithin(standby, 15_000)).code).toBe(0);

    for (const channel of CHANNELS) {
      const titles = r.fake.messages(channel).map((m) => m.body.embeds?.[0]?.title ?? '');
      expect(titles.sort()).toEqual([...expected].sort());
    }
    expect(await r.pendingDeliveries()).toEqual([]);
  }, 90_000);
});
