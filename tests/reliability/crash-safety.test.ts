/**
 * Crash safety, end to end: the real CLI as a child process, SIGKILLed at seeded random moments
 * over many poll-and-post cycles while its feeds keep growing, against the fake Discord. At the end
 * every item published after the first sight must have been posted to each subscribed channel
 * exactly once — counted by title, not only by nonce, so a double post under a new nonce fails —
 * and the archive must hold every item. Replay a failure with CRASH_SEED=<seed>.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NEWS, OTHER } from '../support/bot-harness';
import { exitWithin, type CliRun, type Exit } from '../support/reliability/child-cli';
import { startCrashRig, type CrashRig } from '../support/reliability/crash-rig';
import {
  describePlan,
  drawPlan,
  killMoment,
  type KillPlan,
} from '../support/reliability/kill-plan';
import { createPrng } from '../support/reliability/prng';

const SEED = Number(process.env.CRASH_SEED ?? 20_261_129);
const CYCLES = 30;
/** Every START_EVERY-th cycle runs the long-lived `start` instead of `poll --once`. */
const START_EVERY = 7;
const FEEDS = 3;
const CHANNELS = [NEWS, OTHER];

interface Cycle {
  mode: 'poll' | 'start';
  plan: KillPlan;
  killed: boolean;
  exit: Exit;
}

let current: CrashRig | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** A rig whose feeds have been seen once (archived, nothing posted), and the titles seen then. */
async function primedRig(perFeed: number): Promise<{ rig: CrashRig; primed: Set<string> }> {
  const rig = (current = await startCrashRig({ feeds: FEEDS, channels: CHANNELS }));
  for (let f = 0; f < FEEDS; f++) rig.publish(f, perFeed);
  // First sight archives without posting; it runs undisturbed so that "should be posted" is clear.
  const priming = await exitWithin(rig.run(['poll', '--once']), 15_000);
  expect(priming.code).toBe(0);
  return { rig, primed: new Set(rig.published) };
}

/** Titles of the briefings posted in a channel, with how often each was posted. */
function postedCounts(rig: CrashRig, channelId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of rig.fake.messages(channelId)) {
    const title = m.body.embeds?.[0]?.title ?? '(no embed)';
    counts.set(title, (counts.get(title) ?? 0) + 1);
  }
  return counts;
}

/** Resolves once every channel shows `count` briefings. */
async function allPosted(rig: CrashRig, count: number): Promise<void> {
  for (const channel of CHANNELS) await rig.fake.waitForMessages(channel, count, 30_000);
}

async function runCycle(
  rig: CrashRig,
  mode: Cycle['mode'],
  plan: KillPlan,
  expectedPosts: number,
): Promise<Cycle> {
  if (mode === 'start') await rig.makeFeedsDue();
  const moment = killMoment(plan, rig);
  const run: CliRun = rig.run(mode === 'start' ? ['start'] : ['poll', '--once']);
  // `start` never ends by itself: unless killed first, it is stopped once everything is posted.
  const finished =
    mode === 'start'
      ? Promise.race([
          allPosted(rig, expectedPosts),
          run.exited.then(() =>
            Promise.reject(new Error(`start exited by itself:\n${run.output().slice(-3000)}`)),
          ),
        ])
      : run.exited;
  finished.catch(() => {}); // abandoned when the kill comes first; the race below still sees a failure
  const killed = await Promise.race([moment.then(() => true), finished.then(() => false)]);
  run.kill(killed ? 'SIGKILL' : 'SIGTERM');
  const exit = await exitWithin(run, 15_000);
  if (!killed && exit.code !== 0)
    throw new Error(`${mode} failed (${exit.code}):\n${run.output().slice(-3000)}`);
  return { mode, plan, killed: killed && exit.signal === 'SIGKILL', exit };
}

describe('crash safety', () => {
  it(`SIGKILL at random moments over ${CYCLES} cycles posts every item exactly once and archives all (seed ${SEED})`, async () => {
    const prng = createPrng(SEED);
    const { rig, primed } = await primedRig(2);

    const cycles: Cycle[] = [];
    for (let i = 1; i <= CYCLES; i++) {
      let fresh = 0;
      for (let f = 0; f < FEEDS; f++) fresh += rig.publish(f, prng.int(0, 2)).length;
      if (fresh === 0) fresh += rig.publish(prng.int(0, FEEDS - 1), 1).length;
      const mode = i % START_EVERY === 0 ? 'start' : 'poll';
      const expected = rig.published.length - primed.size;
      cycles.push(await runCycle(rig, mode, drawPlan(prng, FEEDS, fresh), expected));
    }

    // One run left alone finishes whatever the last kill interrupted.
    const final = await exitWithin(rig.run(['poll', '--once']), 15_000);
    expect(final.code).toBe(0);

    const expected = rig.published.filter((t) => !primed.has(t));
    const report = cycles.map(
      (c, i) =>
        `${i + 1} ${c.mode} ${describePlan(c.plan)}: ${c.killed ? 'killed' : `exit ${c.exit.code}`}`,
    );
    for (const channel of CHANNELS) {
      const counts = postedCounts(rig, channel);
      const wrong = [...counts].filter(([title, n]) => n !== 1 || !expected.includes(title));
      expect(wrong, `posted more than once, or never published:\n${report.join('\n')}`).toEqual([]);
      expect(
        expected.filter((t) => !counts.has(t)),
        'never posted',
      ).toEqual([]);
      const messages = rig.fake.messages(channel);
      expect(new Set(messages.map((m) => m.body.nonce)).size).toBe(messages.length);
      expect(messages.every((m) => m.body.enforce_nonce === true)).toBe(true);
    }
    expect((await rig.archivedTitles()).sort()).toEqual([...rig.published].sort());
    expect(await rig.pendingDeliveries()).toEqual([]);

    // The harness must really have crashed the bot, at every kind of moment.
    const killed = cycles.filter((c) => c.killed);
    expect(killed.length).toBeGreaterThanOrEqual(CYCLES / 2);
    expect(new Set(killed.map((c) => c.plan.at))).toEqual(new Set(['spawn', 'fetch', 'post']));
    expect(killed.some((c) => c.mode === 'start')).toBe(true);
    const posts = rig.fake.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/messages') && r.status === 200,
    ).length;
    const messages = CHANNELS.reduce((n, c) => n + rig.fake.messages(c).length, 0);
    console.info(
      `crash safety (seed ${SEED}): ${killed.length}/${CYCLES} runs killed ` +
        `(${['spawn', 'fetch', 'post'].map((at) => `${killed.filter((c) => c.plan.at === at).length} ${at}`).join(', ')}); ` +
        `${expected.length} items × ${CHANNELS.length} channels posted once each; ${posts - messages} repeated posts absorbed by nonce`,
    );
  }, 150_000);

  it('SIGTERM mid-drain finishes the queued posts, closes the store and exits 0 within 10 s', async () => {
    const { rig } = await primedRig(1);
    const before = rig.fake.messages(NEWS).length;
    for (let f = 0; f < FEEDS; f++) rig.publish(f, 3);
    await rig.makeFeedsDue();
    const run = rig.run(['start']);
    await rig.fake.waitForMessages(NEWS, before + 1, 30_000);
    run.kill('SIGTERM');
    const exit = await exitWithin(run, 10_000);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toContain('SIGTERM received: finishing in-flight work');
    expect(run.stderr()).toMatch(/INFO {2}stopped\n$/);
    // Everything queued was posted before the exit…
    expect(await rig.pendingDeliveries()).toEqual([]);
    expect(rig.fake.messages(NEWS).length).toBeGreaterThan(before + 1);
    // …and SQLite was closed: its write-ahead log is checkpointed and removed only on a clean close.
    expect(existsSync(join(rig.dir, 'store.sqlite-wal'))).toBe(false);
  }, 40_000);
});
