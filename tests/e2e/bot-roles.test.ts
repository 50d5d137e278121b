/**
 * Discord mode split over roles, on the real Redis: a bot (gateway, commands, sending) and a
 * worker (polling) built as `start --role bot` and `--role worker` build them, the bot logged in
 * to the fake Discord. A subscription made through the bot routes what the worker polls, and
 * only the bot posts it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadCommands } from '../../main';
import { type App, createApp } from '../../src/app';
import { parseEnv } from '../../src/config/env';
import { memoryLogger } from '../../src/log';
import { BotHarness, NEWS } from '../support/bot-harness';
import { rss } from '../support/rss';
import {
  backends,
  dropRedisPrefix,
  REDIS_URL,
  reachable,
  servicesRequired,
} from '../support/stores';

const redisUp = (await reachable(backends.find((b) => b.name === 'redis')!)) || servicesRequired;
const prefix = `test-bot-roles-${process.pid}-${Math.random().toString(36).slice(2)}:`;
const store = { STORE_URL: REDIS_URL, STORE_PREFIX: prefix };

let bot: BotHarness | undefined;
let worker: App | undefined;
afterEach(async () => {
  await worker?.close();
  await bot?.close();
  await dropRedisPrefix(prefix);
});

describe.skipIf(!redisUp)('a bot and a worker in Discord mode', () => {
  it('the worker routes by the subscriptions the bot took, and only the bot posts', async () => {
    bot = await BotHarness.start({
      feeds: [{ id: 'news', name: 'Energy Wire', path: '/news.xml' }],
      env: store,
      role: 'bot',
    });
    const url = bot.server.url('/news.xml');
    const old = { title: 'Gas prices steady', guid: 'old-1', link: 'https://example.org/old-1' };
    bot.server.setRoute('/news.xml', { body: rss([old]) });
    worker = await createApp({
      configDir: bot.files.dir,
      env: parseEnv({ ...bot.envVars(), ...store }),
      logger: memoryLogger('debug'),
      output: { json: true, color: false, write: () => {} },
      clock: bot.clock.now,
      loadCommands,
      role: 'worker',
    });
    // First sight: archived, nothing to post.
    expect(await worker.worker.pollGroup(url)).toMatchObject({ kind: 'ok' });

    const subscribed = await bot.reply({ name: 'subscribe', options: { topic: 'energy' } });
    expect(subscribed.content).toContain('follows **Energy**');
    const fresh = {
      title: 'Pipeline deal signed in Baku',
      guid: 'new-1',
      link: 'https://example.org/new-1',
      pubDate: bot.clock.now().toUTCString(),
    };
    bot.server.setRoute('/news.xml', { body: rss([fresh, old]) });
    const polled = await worker.worker.pollGroup(url);
    expect(polled).toMatchObject({ kind: 'ok', feeds: [{ delivered: 1 }] });
    // Queued, not sent: the worker has no sender (stop() waits for anything it started).
    await worker.worker.stop();
    expect(bot.fake.messages(NEWS)).toHaveLength(0);

    // The bot's round polls nothing and sends what the worker queued.
    expect(await bot.poll()).toEqual([]);
    const [posted] = await bot.fake.waitForMessages(NEWS, 1);
    expect(posted!.body.embeds![0]).toMatchObject({ title: 'Pipeline deal signed in Baku' });
    await bot.poll();
    expect(bot.fake.messages(NEWS)).toHaveLength(1);
  }, 30_000);
});
