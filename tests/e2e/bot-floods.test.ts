import { afterEach, describe, expect, it } from 'vitest';
import { rss, type TestEntry } from '../support/rss';
import { BotHarness, NEWS, textOf } from '../support/bot-harness';

const HOUR = 3_600_000;

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** An entry published `minutesAgo` before the bot's clock. */
function story(id: string, title: string, minutesAgo: number, guid = id): TestEntry {
  return {
    title,
    guid,
    link: `https://example.org/${id}`,
    pubDate: new Date(bot!.clock.now().getTime() - minutesAgo * 60_000).toUTCString(),
  };
}

describe('floods in Discord', () => {
  it('a feed listing 60 new matching items posts 20 in the channel and one "40 more" message, not 60', async () => {
    bot = await BotHarness.start({
      feeds: [{ id: 'news', name: 'Energy Wire', path: '/news.xml' }],
    });
    const old = [story('old', 'Gas prices steady', 30 * 60)];
    bot.server.setRoute('/news.xml', { body: rss(old) });
    await bot.poll();
    await bot.reply({ name: 'subscribe', options: { topic: 'energy' } });

    const flood = Array.from({ length: 60 }, (_, i) =>
      story(`gas-${i}`, `Gas field ${i} reports output`, i + 1),
    );
    bot.server.setRoute('/news.xml', { body: rss([...flood, ...old]) });
    await bot.poll();
    const posted = await bot.fake.waitForMessages(NEWS, 21);
    const titles = posted.map((m) => m.body.embeds?.[0]?.title);
    expect(titles.filter(Boolean)).toEqual(flood.slice(0, 20).map((e) => e.title));
    const [fold] = posted.filter((m) => !m.body.embeds?.[0]?.title);
    expect(fold!.body.embeds![0]!.description).toContain(
      '40 more new items from **Energy Wire** at once',
    );
    expect(fold!.body.embeds![0]!.description).toContain('`/briefing topic:energy since:1d`');
    expect(bot.logLines.filter((l) => l.includes('feed flood'))).toHaveLength(1);

    bot.clock.advance(HOUR);
    await bot.poll();
    expect(bot.fake.messages(NEWS)).toHaveLength(21);
  });
});

describe('constant guids in Discord', () => {
  it('a guild feed giving every item the same guid has each item posted, and /feed status says so', async () => {
    bot = await BotHarness.start({ feeds: [], env: { ALLOW_PRIVATE_FEEDS: 'true' } });
    const guid = 'urn:cms:feed-item';
    bot.server.setRoute('/local/rss.xml', {
      body: rss([story('l0', 'Town council meets', 20 * 60, guid)], 'Local Gazette'),
    });
    await bot.reply({
      name: 'feed',
      subcommand: 'add',
      options: { url: bot.server.url('/local/rss.xml') },
    });
    await bot.reply({ name: 'subscribe', options: { topic: 'energy' } });
    await bot.poll();

    bot.server.setRoute('/local/rss.xml', {
      body: rss(
        [
          story('l2', 'Gas boiler grants open', 5, guid),
          story('l1', 'Oil depot inspected', 10, guid),
          story('l0', 'Town council meets', 20 * 60, guid),
        ],
        'Local Gazette',
      ),
    });
    await bot.poll();
    const posted = await bot.fake.waitForMessages(NEWS, 2);
    expect(posted.map((m) => m.body.embeds?.[0]?.title)).toEqual([
      'Gas boiler grants open',
      'Oil depot inspected',
    ]);
    const status = textOf(await bot.reply({ name: 'feed', subcommand: 'status' }));
    expect(status).toContain('gives several items the same guid');
  });
});
