/**
 * The world a crashing bot lives in, kept in the test process so it outlives every child: the
 * fake Discord (which remembers nonces), a feed server whose feeds grow, a config folder and a
 * SQLite file. The bot itself is only ever a child process (`runCli`), started and killed by the
 * test; between runs the test may open the store to set it up or to look inside.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createArchiveRepo } from '../../../src/store/archive';
import { dayOf } from '../../../src/store/archive-slot';
import { createFeedStateRepo } from '../../../src/store/feed-state';
import { openStore, type KV } from '../../../src/store/kv';
import { createOutboxRepo } from '../../../src/store/outbox';
import type { Delivery } from '../../../src/domain/delivery';
import { createSubscriptionsRepo } from '../../../src/store/subscriptions';
import { GUILD, GUILDS, TOKEN } from '../bot-harness';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord';
import { startFeedServer, type FeedServer } from '../feed-server';
import { rss, type TestEntry } from '../rss';
import { runCli, type CliRun } from './child-cli';
import { dayItems } from '../archive-day';

const DAY = 86_400_000;
const RETENTION_MS = 180 * DAY;

export interface CrashRig {
  readonly fake: FakeDiscord;
  readonly server: FeedServer;
  readonly dir: string;
  readonly feedPaths: string[];
  /** Every title any feed has published, in publication order. */
  readonly published: string[];
  /** Adds `count` new items to a feed (newest first in the document, as feeds do). */
  publish(feed: number, count: number): string[];
  /** Starts `briefing <args>` against the rig, with any extra environment variables. */
  run(args: string[], env?: Record<string, string>): CliRun;
  /** Opens the bot's store in this process (only while no child runs). */
  withStore<T>(use: (kv: KV) => Promise<T>): Promise<T>;
  /** Makes every feed due now, so a freshly started `start` polls at once. */
  makeFeedsDue(): Promise<void>;
  /** Titles of everything archived (any day in the last two, or today). */
  archivedTitles(): Promise<string[]>;
  pendingDeliveries(): Promise<Delivery[]>;
  close(): Promise<void>;
}

export interface CrashRigOptions {
  feeds: number;
  /** Channels of GUILD that subscribe to the one topic (which every item matches). */
  channels: string[];
}

export async function startCrashRig(options: CrashRigOptions): Promise<CrashRig> {
  const fake = await startFakeDiscord({ guilds: GUILDS, token: TOKEN });
  const server = await startFeedServer({});
  const dir = await mkdtemp(join(tmpdir(), 'briefing-crash-'));
  const storeUrl = `sqlite://${join(dir, 'store.sqlite')}`;
  const feedPaths = Array.from({ length: options.feeds }, (_, i) => `/feed-${i}.xml`);
  const items: TestEntry[][] = feedPaths.map(() => []);
  const published: string[] = [];
  let serial = 0;

  const feeds = feedPaths.map((path, i) => ({
    id: `feed-${i}`,
    name: `Feed ${i}`,
    url: server.url(path),
  }));
  await writeFile(join(dir, 'feeds.yaml'), stringify({ feeds }));
  await writeFile(
    join(dir, 'topics.yaml'),
    stringify({ topics: [{ id: 'all', name: 'Everything', query: 'report' }] }),
  );

  const withStore = async <T>(use: (kv: KV) => Promise<T>): Promise<T> => {
    const kv = await openStore(storeUrl);
    try {
      return await use(kv);
    } finally {
      await kv.close();
    }
  };
  await withStore(async (kv) => {
    const subscriptions = createSubscriptionsRepo(kv);
    const createdAt = new Date().toISOString();
    for (const channelId of options.channels) {
      await subscriptions.put({
        guildId: GUILD,
        channelId,
        topicId: 'all',
        mode: 'instant',
        createdAt,
      });
    }
  });

  function publish(feed: number, count: number): string[] {
    const titles: string[] = [];
    for (let n = 0; n < count; n++) {
      const id = ++serial;
      const title = `Feed ${feed} report ${id}`;
      // A second apart and in the past, so the order is clear and nothing is clamped as future.
      const pubDate = new Date(Date.now() - 60_000 + id * 1000).toUTCString();
      items[feed]!.unshift({
        title,
        guid: `item-${id}`,
        link: `https://example.org/${id}`,
        description: `Report ${id}.`,
        pubDate,
      });
      titles.push(title);
    }
    published.push(...titles);
    server.setRoute(feedPaths[feed]!, { body: rss(items[feed]!, `Feed ${feed}`) });
    return titles;
  }
  feedPaths.forEach((_, i) => {
    publish(i, 0);
  });

  return {
    fake,
    server,
    dir,
    feedPaths,
    published,
    publish,
    run: (args, env = {}) =>
      runCli(
        [...args, '--config', dir],
        {
          DISCORD_TOKEN: TOKEN,
          DISCORD_API_URL: fake.apiUrl,
          STORE_URL: storeUrl,
          LOG_LEVEL: 'debug',
          // Every item must be posted one by one here: a channel's hourly limit would fold some.
          CHANNEL_MAX_POSTS_PER_HOUR: '3600',
          ...env,
        },
        { cwd: dir },
      ),
    withStore,
    makeFeedsDue: () =>
      withStore(async (kv) => {
        const state = createFeedStateRepo(kv);
        const past = new Date(Date.now() - 60_000).toISOString();
        for (const f of feeds)
          await state.saveFetchState(f.url, {
            ...(await state.fetchState(f.url)),
            nextFetchAt: past,
          });
      }),
    archivedTitles: () =>
      withStore(async (kv) => {
        const archive = createArchiveRepo(kv, { retentionMs: RETENTION_MS });
        const days = await archive.days(dayOf(Date.now() - 2 * DAY), dayOf(Date.now() + DAY));
        const keys = (await Promise.all(days.map((d) => dayItems(archive, d))))
          .flat()
          .map(([key]) => key);
        return (await archive.get(keys)).flatMap((a) => (a ? [a.item.title] : []));
      }),
    pendingDeliveries: () => withStore((kv) => createOutboxRepo(kv).pending()),
    async close() {
      await fake.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
