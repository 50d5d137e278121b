/**
 * Where a run of the bot is cut short: a random moment after it was spawned (start-up, config,
 * store, first fetches), a random moment after the server saw a feed being fetched (parse,
 * archive, outbox, seen), or right after the fake Discord took the n-th new post (between
 * Discord accepting a message and the outbox hearing of it) — or not at all.
 */
import { NEWS } from '../bot-harness';
import type { Prng } from './prng';
import type { CrashRig } from './crash-rig';

export type KillPlan =
  | { at: 'spawn'; afterMs: number }
  | { at: 'fetch'; feed: number; afterMs: number }
  | { at: 'post'; nth: number }
  | { at: 'none' };

export function describePlan(plan: KillPlan): string {
  switch (plan.at) {
    case 'spawn':
      return `${plan.afterMs} ms after spawn`;
    case 'fetch':
      return `${plan.afterMs} ms after feed ${plan.feed} was fetched`;
    case 'post':
      return `after post ${plan.nth} in #news`;
    case 'none':
      return 'not killed';
  }
}

/** A plan drawn from the seeded PRNG; `posts` is how many new posts #news may get this run. */
export function drawPlan(prng: Prng, feeds: number, posts: number): KillPlan {
  switch (
    prng.pick<KillPlan['at']>([
      ['spawn', 2],
      ['fetch', 4],
      ['post', 4],
      ['none', 1],
    ])
  ) {
    case 'spawn':
      // tsx start-up takes about a second: this spans start-up, opening the store and the first fetches.
      return { at: 'spawn', afterMs: prng.int(200, 1200) };
    case 'fetch':
      return { at: 'fetch', feed: prng.int(0, feeds - 1), afterMs: prng.int(0, 40) };
    case 'post':
      return { at: 'post', nth: prng.int(1, Math.max(1, posts)) };
    case 'none':
      return { at: 'none' };
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves when the plan's moment has come; never, for 'none'. Counts start from now, so call it
 * right before spawning.
 */
export function killMoment(plan: KillPlan, rig: CrashRig): Promise<void> {
  switch (plan.at) {
    case 'spawn':
      return delay(plan.afterMs);
    case 'fetch': {
      const path = rig.feedPaths[plan.feed]!;
      return rig.server
        .waitForRequests(path, rig.server.requests(path).length + 1)
        .then(() => delay(plan.afterMs));
    }
    case 'post': {
      const wanted = rig.fake.messages(NEWS).length + plan.nth;
      // A run that ends before posting that many leaves this waiting; it must not fail the test.
      return rig.fake.waitForMessages(NEWS, wanted, 60_000).then(
        () => undefined,
        () => new Promise<void>(() => {}),
      );
    }
    case 'none':
      return new Promise<void>(() => {});
  }
}
