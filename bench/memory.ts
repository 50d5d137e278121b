/**
 * Resident memory of the whole bot: `npm start` (`node <flags> bin/briefing.mjs start`, the flags
 * read from package.json) in Discord mode, logged in to
 * the fake Discord (100 guilds of 8 channels and 5 roles; two channels per guild follow a topic
 * each), polling N feeds from the feed farm against 50 topics. Feeds are polled every minute (the
 * shortest interval the config allows); steady state is the last of the rounds after the priming
 * round, in which 99 % of feeds answer 304 and 1 % bring 20 new items that are matched and posted
 * (at 1,000 feeds that is 200 new items a minute, ten times a busy real catalogue: at the poll
 * bench's 10 % the posts alone would exceed Discord's rate limits). The figure is the median
 * VmRSS over that round, sampled every 250 ms; the lifetime peak (VmHWM, priming included) is
 * beside it. The baseline is the same bot with no feeds, idle after login: what the process costs
 * before it does any work.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelType } from 'discord-api-types/v10';
import { stringify } from 'yaml';
import { openStore } from '../src/store/kv';
import { createSubscriptionsRepo } from '../src/store/subscriptions';
import {
  startFakeDiscord,
  type FakeDiscord,
  type FakeGuildConfig,
} from '../tests/support/fake-discord';
import { startBot, startFlags, type BotProcess, type RssSample } from './support/bot-process';
import { procStatusBytes } from './support/child';
import { startFeedFarm, type FeedFarm } from './support/feed-farm';
import { seeded } from './support/random';
import { mb, median } from './support/stats';
import { benchTopics, topicsYaml } from './support/topics';
import type { Bench } from './types';

const SEED = 20211015;
const TITLE = `Resident memory of the whole bot (npm start: node ${startFlags().join(' ')} bin/briefing.mjs start, Discord mode)`;
const GUILDS = 100;
/** One feed in a hundred has news at each round. */
const CHANGE_EVERY = 100;
const TOKEN = 'bench.fake-discord-token';
const snowflake = (kind: number, n: number) => `${kind}${String(n).padStart(17, '0')}`;

function guilds(): FakeGuildConfig[] {
  return Array.from({ length: GUILDS }, (_, g) => ({
    id: snowflake(4, g + 1),
    name: `Bench guild ${g + 1}`,
    systemChannelId: snowflake(5, g * 10),
    roles: Array.from({ length: 5 }, (_, r) => ({
      id: snowflake(6, g * 10 + r),
      name: `role-${r}`,
    })),
    channels: Array.from({ length: 8 }, (_, c) => ({
      id: snowflake(5, g * 10 + c),
      name: c === 0 ? 'general' : `channel-${c}`,
      type: ChannelType.GuildText,
    })),
  }));
}

/** Two channels per guild follow one topic each, written to the store before start. */
async function subscribe(
  storeUrl: string,
  list: FakeGuildConfig[],
  topicIds: string[],
): Promise<number> {
  const kv = await openStore(storeUrl);
  const repo = createSubscriptionsRepo(kv);
  const r = seeded(SEED);
  let count = 0;
  try {
    for (const guild of list) {
      for (const channel of guild.channels.slice(1, 3)) {
        await repo.put({
          guildId: guild.id,
          channelId: channel.id,
          topicId: r.pick(topicIds),
          mode: 'instant',
          createdAt: new Date().toISOString(),
        });
        count++;
      }
    }
  } finally {
    await kv.close();
  }
  return count;
}

/** A config folder with `urls` as feeds polled every minute, and the bench topics. */
async function configDir(urls: string[], yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'briefing-bench-memory-'));
  await writeFile(
    join(dir, 'feeds.yaml'),
    stringify({ feeds: urls.map((url, n) => ({ id: `feed-${n}`, url, interval: '1m' })) }),
  );
  await writeFile(join(dir, 'topics.yaml'), yaml);
  return dir;
}

const inWindow = (samples: readonly RssSample[], from: number, to: number) =>
  samples.filter((s) => s.atMs >= from && s.atMs <= to).map((s) => s.bytes);

async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Measured {
  steady: number;
  max: number;
  peak?: number;
  window: string;
  /** At the window's end: anonymous memory (V8's heap, malloc) and file pages (node's own code). */
  split?: { anon?: number; file?: number };
}

const splitOf = (pid: number) => ({
  anon: procStatusBytes(pid, 'RssAnon'),
  file: procStatusBytes(pid, 'RssFile'),
});

/** The bot with no feeds: logged in, then idle for a few seconds. */
async function idle(fake: FakeDiscord, yaml: string): Promise<Measured> {
  const dir = await configDir([], yaml);
  const bot = startBot({
    configDir: dir,
    env: {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
    },
  });
  try {
    await bot.waitForLine(/connected to Discord/, 60_000);
    const from = performance.now() + 2_000;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const window = inWindow(bot.samples, from, performance.now());
    return {
      steady: median(window),
      max: Math.max(...window),
      peak: bot.peakBytes(),
      window: '3 s idle after login',
      split: splitOf(bot.pid),
    };
  } finally {
    await bot.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The bot with `feeds` feeds: priming, then `rounds` poll rounds; the last round is the window. */
async function busy(
  fake: FakeDiscord,
  farm: FeedFarm,
  feeds: number,
  rounds: number,
  yaml: string,
  topicIds: string[],
  nodeFlags?: string[],
) {
  const set = `mem${feeds}${nodeFlags ? '-plain' : ''}`;
  const dir = await configDir(farm.urls(set, feeds), yaml);
  const storeUrl = `sqlite://${join(dir, 'store.sqlite')}`;
  const subscriptions = await subscribe(storeUrl, guilds(), topicIds);
  const posted = () =>
    fake.requests.filter(
      (r) => r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path) && r.status < 300,
    ).length;
  const postedBefore = posted();
  let bot: BotProcess | undefined;
  try {
    bot = startBot({
      configDir: dir,
      env: { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, STORE_URL: storeUrl },
      ...(nodeFlags && { nodeFlags }),
    });
    const started = performance.now();
    await bot.waitForLine(/watching \d+ feeds?;/, 15 * 60_000);
    const primingS = (performance.now() - started) / 1000;
    const polled = async (n: number) => (await farm.stats(set)).requests >= feeds * n;
    let from = performance.now();
    for (let r = 1; r <= rounds; r++) {
      from = performance.now();
      await until(() => polled(r + 1), 3 * 60_000, `poll round ${r}`).catch(async (err: Error) => {
        const problems = bot?.linesMatching(/ (WARN|ERROR) /).slice(-10) ?? [];
        throw new Error(
          `${err.message} (${JSON.stringify(await farm.stats(set))}); last warnings:\n${problems.join('\n')}`,
        );
      });
    }
    if (rounds === 0) await new Promise((resolve) => setTimeout(resolve, 5_000));
    const window = inWindow(bot.samples, from, performance.now());
    const measured: Measured = {
      steady: median(window),
      max: Math.max(...window),
      peak: bot.peakBytes(),
      window:
        rounds === 0 ? 'first 5 s after priming (quick)' : `poll round ${rounds} after priming`,
      split: splitOf(bot.pid),
    };
    return { measured, primingS, subscriptions, posted: posted() - postedBefore };
  } finally {
    await bot?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The start script's `--heap-growing-percent`, for the notes. */
const growingPercent = () =>
  startFlags()
    .find((f) => f.startsWith('--heap-growing-percent='))
    ?.split('=')[1] ?? "V8's default";

const splitText = (m: Measured) =>
  m.split?.anon === undefined || m.split.file === undefined
    ? 'n/a'
    : `${mb(m.split.anon)} + ${mb(m.split.file)}`;

export const run: Bench = async ({ quick }) => {
  if (!existsSync('/proc/self/status')) {
    return {
      title: TITLE,
      rows: [{ bot: 'not measured: the memory section reads /proc (Linux only)' }],
    };
  }
  const feeds = quick ? 200 : 1000;
  const rounds = quick ? 0 : 2;
  const topics = await benchTopics(50, SEED);
  const yaml = topicsYaml(topics);
  const fake = await startFakeDiscord({ guilds: guilds(), token: TOKEN });
  const farm = await startFeedFarm({ seed: SEED, changeEvery: CHANGE_EVERY });
  try {
    const base = await idle(fake, yaml);
    const topicIds = topics.topics.map((t) => t.id);
    const load = await busy(fake, farm, feeds, rounds, yaml, topicIds);
    // The same bot under Node's default V8 flags: what the start script's flags save, and cost.
    // Left out of the smoke run, which must stay under a minute.
    const plain = quick ? undefined : await busy(fake, farm, feeds, rounds, yaml, topicIds, []);
    const mode = `Discord (fake, ${GUILDS} guilds)`;
    const row = (bot: string, n: number, m: Measured, extra: Record<string, string | number>) => ({
      bot,
      mode,
      feeds: n,
      'steady RSS MB': mb(m.steady),
      'max in window MB': mb(m.max),
      'peak RSS MB (VmHWM)': m.peak === undefined ? 'n/a' : mb(m.peak),
      window: m.window,
      ...extra,
    });
    return {
      title: TITLE,
      rows: [
        row('idle, no feeds (baseline)', 0, base, {}),
        row('polling, 50 topics', feeds, load.measured, {
          'priming s': Math.round(load.primingS),
          posted: load.posted,
        }),
        ...(plain
          ? [
              row('same, default V8 flags (comparison)', feeds, plain.measured, {
                'priming s': Math.round(plain.primingS),
                posted: plain.posted,
              }),
            ]
          : []),
      ],
      notes: [
        `Steady RSS with ${feeds} feeds is ${mb(load.measured.steady - base.steady)} MB above the idle bot (${mb(base.steady)} MB).`,
        `Start script flags: ${startFlags().join(' ')} (a small young generation, a heap grown by ${growingPercent()} % rather than up to 4x after a full GC)${
          plain
            ? `; without them the same load holds ${mb(plain.measured.steady)} MB, and priming took ${Math.round(plain.primingS)} s instead of ${Math.round(load.primingS)} s`
            : '; the comparison under default flags is in the full run only'
        }.`,
        `${load.subscriptions} subscriptions in ${GUILDS * 2} channels; ${load.posted} messages posted to the fake Discord; feeds polled every minute.`,
        'RSS from /proc/<pid>/status of the bot process only (the fake Discord and the feed farm run elsewhere).',
        `At the window's end, anonymous (V8's heap and malloc) + file-backed (node's own code) MB: idle ${splitText(base)}, polling ${splitText(load.measured)}.`,
      ],
    };
  } finally {
    await farm.close();
    await fake.close();
  }
};
