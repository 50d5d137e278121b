import { afterEach, describe, expect, it } from 'vitest';
import { registry } from '../../src/observe/metrics';
import { parsePrometheusText } from '../support/prometheus-text';
import type { TestEntry } from '../support/rss';
import { rss } from '../support/rss';
import { BotHarness, NEWS, OTHER, ROLE, SYSTEM, TOKEN, textOf } from '../support/bot-harness';

const HOUR = 3_600_000;

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** An entry published `hoursAgo` before the bot's clock. */
function story(id: string, title: string, hoursAgo: number, description = ''): TestEntry {
  return {
    title,
    guid: id,
    link: `https://example.org/${id}`,
    description,
    pubDate: new Date(bot!.clock.now().getTime() - hoursAgo * HOUR).toUTCString(),
  };
}

/** A bot watching one feed whose first items are already archived (first sight posts nothing). */
async function startWithArchive(first: (b: BotHarness) => TestEntry[]) {
  bot = await BotHarness.start({ feeds: [{ id: 'news', name: 'Energy Wire', path: '/news.xml' }] });
  const items = first(bot);
  bot.server.setRoute('/news.xml', { body: rss(items) });
  await bot.poll();
  return items;
}

function publish(entries: TestEntry[]) {
  bot!.server.setRoute('/news.xml', { body: rss(entries) });
}

describe('posting briefings to subscribed channels', () => {
  it('a new item matching a subscribed topic arrives in the channel exactly once, with its embed', async () => {
    const old = await startWithArchive(() => [story('old-1', 'Gas prices steady', 30)]);
    const subscribed = await bot!.reply({ name: 'subscribe', options: { topic: 'energy' } });
    expect(subscribed.content).toContain('follows **Energy**');

    publish([
      story('new-1', 'Pipeline deal signed in Baku', 1, 'A new gas pipeline will run west.'),
      story('new-2', 'River levels fall', 1),
      ...old,
    ]);
    await bot!.poll();
    const [posted] = await bot!.fake.waitForMessages(NEWS, 1);
    expect(posted!.body.embeds).toHaveLength(1);
    expect(posted!.body.embeds![0]).toMatchObject({
      title: 'Pipeline deal signed in Baku',
      url: 'https://example.org/new-1',
      author: { name: 'Energy Wire' },
      footer: { text: 'Energy' },
    });
    expect(posted!.body.allowed_mentions).toEqual({ parse: [] });
    expect(posted!.body.enforce_nonce).toBe(true);
    expect(String(posted!.body.nonce).length).toBeLessThanOrEqual(25);

    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);
    expect(bot!.fake.messages(OTHER)).toHaveLength(0);
    expect(await bot!.app.stores.outbox.pending()).toEqual([]);
  });

  it('the reply to /subscribe shows the latest matching items from the archive', async () => {
    await startWithArchive(() => [
      story('a', 'Coal plant closes', 3),
      story('b', 'Oil output rises', 2),
      story('c', 'Gas storage full', 1),
      story('d', 'Flood warning on the river', 1),
      story('e', 'New pipeline route', 50),
    ]);
    const reply = await bot!.reply({ name: 'subscribe', options: { topic: 'energy' } });
    expect(reply.embeds.map((e) => e.title)).toEqual([
      'Gas storage full',
      'Oil output rises',
      'Coal plant closes',
    ]);
    expect(reply.content).toContain('The latest items so far');
  });

  it('a channel following two matching topics gets one message naming both, pinging only the subscription role', async () => {
    const old = await startWithArchive(() => [story('old', 'Quiet day', 30)]);
    await bot!.reply({ name: 'subscribe', options: { topic: 'energy', mention_role: ROLE } });
    await bot!.reply({ name: 'subscribe', options: { topic: 'water' } });
    publish([
      story('both', 'Oil spill reaches the river', 1, '@everyone look <@&999999999999999999>'),
      ...old,
    ]);
    await bot!.poll();
    const [posted] = await bot!.fake.waitForMessages(NEWS, 1);
    expect(posted!.body.embeds![0]!.footer!.text).toMatch(/^(Energy · Water|Water · Energy)$/);
    expect(posted!.body.content).toBe(`<@&${ROLE}>`);
    expect(posted!.body.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(textOf(posted!.message)).not.toMatch(/@everyone|<@&9/);
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);
  });

  it('a 429 on posting is waited out by discord.js, still gives exactly one message, and is counted', async () => {
    const rateLimited = async () =>
      parsePrometheusText(await registry.metrics()).sum('briefing_discord_rate_limited_total', {
        scope: 'route',
      });
    const old = await startWithArchive(() => [story('old', 'Quiet day', 30)]);
    const before = await rateLimited();
    await bot!.reply({ name: 'subscribe', options: { topic: 'energy' } });
    bot!.fake.failNext({
      route: 'POST /channels/:channelId/messages',
      status: 429,
      retryAfter: 0.05,
    });
    publish([story('new', 'Gas deal', 1), ...old]);
    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);
    const posts = bot!.fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${NEWS}/messages`,
    );
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(await bot!.app.stores.outbox.pending()).toEqual([]);
    expect((await rateLimited()) - before).toBe(1);
  });

  it('a 500 leaves the delivery in the outbox and a later round posts it once', async () => {
    const old = await startWithArchive(() => [story('old', 'Quiet day', 30)]);
    await bot!.reply({ name: 'subscribe', options: { topic: 'energy' } });
    // discord.js retries a 5xx three times itself; four failures reach the outbox.
    bot!.fake.failNext({ route: 'POST /channels/:channelId/messages', status: 500, times: 4 });
    publish([story('new', 'Gas deal', 1), ...old]);
    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(0);
    const [held] = await bot!.app.stores.outbox.pending();
    expect(held).toMatchObject({ attempts: 1, target: { kind: 'channel', channelId: NEWS } });
    bot!.clock.advance(HOUR);
    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);
  });

  it('a 403 pauses the channel, tells the server once, and other channels still get theirs', async () => {
    const old = await startWithArchive(() => [story('old', 'Quiet day', 30)]);
    await bot!.reply({ name: 'subscribe', options: { topic: 'energy' } });
    await bot!.reply({ name: 'subscribe', options: { topic: 'energy', channel: OTHER } });
    bot!.fake.setChannelForbidden(NEWS, true);
    publish([story('one', 'Gas deal', 2), story('two', 'Oil deal', 1), ...old]);
    await bot!.poll();

    expect(bot!.fake.messages(OTHER)).toHaveLength(2);
    expect(bot!.fake.messages(NEWS)).toHaveLength(0);
    // One refused post, not one per delivery: the second waited with the first.
    expect(
      bot!.fake.requests.filter((r) => r.path === `/channels/${NEWS}/messages` && r.status === 403),
    ).toHaveLength(1);
    const notices = await bot!.fake.waitForMessages(SYSTEM, 1);
    expect(notices[0]!.body.content).toContain(`<#${NEWS}>`);
    expect(notices[0]!.body.content).toContain('Missing Access');
    expect((await bot!.app.stores.outbox.pending()).map((d) => d.target)).toEqual([
      { kind: 'channel', channelId: NEWS },
      { kind: 'channel', channelId: NEWS },
    ]);

    const topics = await bot!.reply({ name: 'topics' });
    expect(textOf(topics)).toMatch(new RegExp(`<#${NEWS}> → \`energy\`.*paused.*Missing Access`));
    const status = await bot!.reply({ name: 'feed', subcommand: 'status' });
    expect(textOf(status)).toContain(`<#${NEWS}>`);

    // Still refused an hour later: held again, and the server is not told twice.
    bot!.clock.advance(HOUR + 1000);
    await bot!.poll();
    expect(bot!.fake.messages(SYSTEM)).toHaveLength(1);

    bot!.fake.setChannelForbidden(NEWS, false);
    bot!.clock.advance(HOUR + 1000);
    await bot!.poll();
    const titles = bot!.fake
      .messages(NEWS)
      .flatMap((m) => m.body.embeds?.map((e) => e.title) ?? []);
    expect(titles.sort()).toEqual(['Gas deal', 'Oil deal']);
    expect(
      bot!.fake.messages(NEWS).some((m) => m.body.content?.startsWith('Briefings resume here')),
    ).toBe(true);
    expect(await bot!.app.stores.outbox.pending()).toEqual([]);
    expect(textOf(await bot!.reply({ name: 'topics' }))).not.toContain('paused');
  });

  it('running /subscribe again in a paused channel releases its held briefings at once', async () => {
    const old = await startWithArchive(() => [story('old', 'Quiet day', 30)]);
    await bot!.reply({ name: 'subscribe', options: { topic: 'energy' } });
    bot!.fake.setChannelForbidden(NEWS, true);
    publish([story('one', 'Gas deal', 1), ...old]);
    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(0);

    bot!.fake.setChannelForbidden(NEWS, false);
    await bot!.reply({ name: 'subscribe', options: { topic: 'energy' } });
    await bot!.poll();
    expect(bot!.fake.messages(NEWS).map((m) => m.body.embeds?.[0]?.title)).toEqual(['Gas deal']);
  });

  it('digest subscriptions collect items and post them together at the digest time', async () => {
    await startWithArchive(() => []);
    const at = new Date(bot!.clock.now().getTime() + 2 * HOUR);
    const digestTime = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    const reply = await bot!.reply({
      name: 'subscribe',
      options: { topic: 'energy', mode: 'digest', digest_time: digestTime },
    });
    expect(reply.content).toContain(`daily digest at ${digestTime} UTC`);

    publish([story('one', 'Gas deal', 1)]);
    await bot!.poll();
    publish([story('two', 'Oil deal', 0.5), story('one', 'Gas deal', 1)]);
    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(0);

    bot!.clock.advance(2 * HOUR);
    await bot!.poll();
    const [digest] = await bot!.fake.waitForMessages(NEWS, 1);
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);
    expect(digest!.body.embeds![0]!.title).toBe('Energy — last 24h');
    expect(digest!.body.embeds![0]!.description).toMatch(/Oil deal[\s\S]*Gas deal/);
    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);
  });

  it('a feed failing for more than a day is reported once in the channels it posted to', async () => {
    const old = await startWithArchive(() => [story('old', 'Quiet day', 30)]);
    await bot!.reply({ name: 'subscribe', options: { topic: 'energy' } });
    publish([story('new', 'Gas deal', 1), ...old]);
    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);

    bot!.server.setRoute('/news.xml', { status: 503, body: 'down' });
    await bot!.poll();
    bot!.clock.advance(12 * HOUR);
    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);

    bot!.clock.advance(13 * HOUR);
    await bot!.poll();
    await bot!.poll();
    const notices = bot!.fake.messages(NEWS).slice(1);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body.content).toMatch(
      /^⚠️ The feed \*\*Energy Wire\*\* has been failing since <t:\d+:R>: .*503/,
    );
    expect(bot!.fake.messages(OTHER)).toHaveLength(0);
  });

  it('the bot token never appears in the log, even when a command fails', async () => {
    await startWithArchive(() => [story('a', 'Gas deal', 1)]);
    await bot!.reply({ name: 'subscribe', options: { topic: 'energy' } });
    await bot!.reply({ name: 'briefing', options: { topic: 'no-such-topic' } });
    bot!.fake.failNext({ route: 'POST /channels/:channelId/messages', status: 400, code: 50035 });
    publish([story('b', 'Oil deal', 0.5), story('a', 'Gas deal', 1)]);
    await bot!.poll();
    expect(bot!.logLines.length).toBeGreaterThan(0);
    expect(bot!.logLines.join('\n')).not.toContain(TOKEN);
    expect(bot!.logLines.join('\n')).toMatch(/delivery dropped/);
  });
});
