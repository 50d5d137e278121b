import { InteractionResponseType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deployCommands } from '../../src/cli/deploy-commands';
import {
  ADMIN,
  B_NEWS,
  BotHarness,
  C_NEWS,
  ENERGY_TOPICS,
  GUILD,
  GUILD_B,
  GUILD_C,
  NEWS,
  OTHER,
  textOf,
} from '../support/bot-harness';
import { rss, type TestEntry } from '../support/rss';

const HOUR = 3_600_000;

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

function story(id: string, title: string, hoursAgo: number): TestEntry {
  return {
    title,
    guid: id,
    link: `https://example.org/${id}`,
    pubDate: new Date(bot!.clock.now().getTime() - hoursAgo * HOUR).toUTCString(),
  };
}

async function startWith(
  entries: (b: BotHarness) => TestEntry[],
  env: Record<string, string> = {},
) {
  bot = await BotHarness.start({
    feeds: [{ id: 'news', name: 'Energy Wire', path: '/news.xml' }],
    env,
  });
  bot.server.setRoute('/news.xml', { body: rss(entries(bot)) });
  await bot.poll();
  return bot;
}

describe('registering the commands', () => {
  it('deploy-commands registers every command globally and per guild in one overwrite, admin ones guarded', async () => {
    bot = await BotHarness.start();
    const names = ['briefing', 'subscribe', 'unsubscribe', 'topics', 'topic', 'feed'];
    expect(bot.fake.commands(GUILD).map((c) => c.name)).toEqual(names);
    await deployCommands(bot.cliContext());
    expect(bot.fake.commands().map((c) => c.name)).toEqual(names);
    const puts = bot.fake.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const admin = bot.fake
      .commands()
      .filter((c) => c.default_member_permissions === String(PermissionFlagsBits.ManageGuild));
    expect(admin.map((c) => c.name)).toEqual(['subscribe', 'unsubscribe', 'topic', 'feed']);
    expect(bot.fake.commands().every((c) => c.contexts?.length === 1 && c.contexts[0] === 0)).toBe(
      true,
    );
  });
});

describe('errors', () => {
  it('anything but a UserError shows only a reference, and is logged once under it', async () => {
    bot = await BotHarness.start();
    vi.spyOn(bot.app.discord!.services.topics, 'list').mockImplementation(() => {
      throw new Error('disk on fire at /var/lib/secret');
    });
    const reply = await bot.reply({ name: 'topics' });
    const ref = /^Something went wrong \(ref ([0-9a-f]{4})\)\.$/.exec(reply.content)?.[1];
    expect(ref).toBeDefined();
    const logged = bot.logLines.filter((l) => l.includes('command failed'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`ref=${ref}`);
    expect(logged[0]).toContain(`guildId=${GUILD}`);
    expect(logged[0]).toContain('command=topics');
    expect(logged[0]).toContain('disk on fire');
  });
});

describe('/subscribe', () => {
  it('refuses a channel the bot cannot post embeds in, naming the missing permission', async () => {
    bot = await BotHarness.start();
    const reply = await bot.reply({
      name: 'subscribe',
      guildId: GUILD_C,
      channelId: C_NEWS,
      options: { topic: 'energy' },
    });
    expect(reply.content).toBe(`I cannot post in <#${C_NEWS}>: I need Embed Links there.`);
    expect(
      textOf(await bot.reply({ name: 'topics', guildId: GUILD_C, channelId: C_NEWS })),
    ).toContain('None yet');
  });

  it('/unsubscribe stops the posts and says so', async () => {
    bot = await BotHarness.start();
    await bot.reply({ name: 'subscribe', options: { topic: 'energy', channel: OTHER } });
    expect(textOf(await bot.reply({ name: 'topics' }))).toContain(`<#${OTHER}> → \`energy\``);
    const reply = await bot.reply({
      name: 'unsubscribe',
      options: { topic: 'energy', channel: OTHER },
    });
    expect(reply.content).toBe(`<#${OTHER}> no longer follows \`energy\`.`);
    expect(textOf(await bot.reply({ name: 'topics' }))).not.toContain(`<#${OTHER}>`);
    const again = await bot.reply({
      name: 'unsubscribe',
      options: { topic: 'energy', channel: OTHER },
    });
    expect(again.content).toBe(`<#${OTHER}> does not follow \`energy\`.`);
  });
});

describe('/briefing', () => {
  it('pages through the archive with Next and Prev, newest first', async () => {
    await startWith(() =>
      Array.from({ length: 7 }, (_, n) => story(`s${n}`, `Gas story ${n + 1}`, n + 1)),
    );
    const handle = await bot!.command({
      name: 'briefing',
      options: { topic: 'energy', limit: 3, since: '2d' },
    });
    expect((await handle.waitForResponse()).type).toBe(
      InteractionResponseType.DeferredChannelMessageWithSource,
    );
    await handle.waitForEdit();
    const first = handle.final()!;
    expect(first.embeds.map((e) => e.title)).toEqual(['Gas story 1', 'Gas story 2', 'Gas story 3']);
    expect(first.content).toContain('7 items');

    const buttons = (message: typeof first) =>
      (
        message.components![0] as {
          components: Array<{ custom_id: string; label: string; disabled?: boolean }>;
        }
      ).components;
    const [prev, next] = buttons(first);
    expect(prev).toMatchObject({ label: 'Prev', disabled: true });
    expect(next!.custom_id.length).toBeLessThanOrEqual(100);

    const page2 = await bot!.fake.interact.button({
      message: first,
      customId: next!.custom_id,
      userId: '100000000000000002',
    });
    expect((await page2.waitForResponse()).type).toBe(
      InteractionResponseType.DeferredMessageUpdate,
    );
    await page2.waitForEdit();
    expect(page2.final()!.embeds.map((e) => e.title)).toEqual([
      'Gas story 4',
      'Gas story 5',
      'Gas story 6',
    ]);

    const [, next2] = buttons(page2.final()!);
    const page3 = await bot!.fake.interact.button({
      message: page2.final()!,
      customId: next2!.custom_id,
    });
    await page3.waitForEdit();
    expect(page3.final()!.embeds.map((e) => e.title)).toEqual(['Gas story 7']);
    const [prev3, next3] = buttons(page3.final()!);
    expect(next3!.disabled).toBe(true);

    const back = await bot!.fake.interact.button({
      message: page3.final()!,
      customId: prev3!.custom_id,
    });
    await back.waitForEdit();
    expect(back.final()!.embeds.map((e) => e.title)).toEqual([
      'Gas story 4',
      'Gas story 5',
      'Gas story 6',
    ]);
  });

  it('defaults to the topics this channel follows and the last 24 hours, and can answer privately', async () => {
    await startWith(() => [
      story('g', 'Gas deal', 2),
      story('r', 'River floods', 3),
      story('old', 'Oil from last week', 30),
    ]);
    await bot!.reply({ name: 'subscribe', options: { topic: 'water' } });
    const handle = await bot!.command({ name: 'briefing', options: { private: true } });
    const response = await handle.waitForResponse();
    expect(
      response.type === InteractionResponseType.DeferredChannelMessageWithSource &&
        response.data?.flags,
    ).toBe(MessageFlags.Ephemeral);
    await handle.waitForEdit();
    expect(handle.final()!.embeds.map((e) => e.title)).toEqual(['River floods']);
  });

  it('autocompletes topics from what was typed', async () => {
    bot = await BotHarness.start();
    const choices = await bot.fake.interact.autocomplete({
      guildId: GUILD,
      channelId: NEWS,
      name: 'briefing',
      options: { topic: 'wa' },
      focused: 'topic',
    });
    expect(choices).toEqual([{ name: 'water — Water', value: 'water' }]);
    const all = await bot.fake.interact.autocomplete({
      guildId: GUILD,
      channelId: NEWS,
      name: 'briefing',
      options: { topic: '' },
      focused: 'topic',
    });
    expect(all.map((c) => c.value)).toEqual(['energy', 'water']);
  });

  it('answers a bad option with a message the user can act on', async () => {
    bot = await BotHarness.start();
    const reply = await bot.reply({
      name: 'briefing',
      options: { topic: 'energy', since: 'yesterday' },
    });
    expect(reply.content).toBe('`since` is a duration like `24h`, `7d` or `90m`.');
  });
});

describe('guild topics', () => {
  it('/topic add checks the query and shows a caret under the error', async () => {
    bot = await BotHarness.start();
    const reply = await bot.reply({
      name: 'topic',
      subcommand: 'add',
      options: { id: 'metals', name: 'Metals', query: 'gold AND (silver OR' },
    });
    expect(reply.content).toMatch(
      /^That query does not work:\n```\n[\s\S]*gold AND \(silver OR\n\s+\^\n```$/,
    );
    expect(textOf(await bot.reply({ name: 'topics' }))).not.toContain('metals');
  });

  it('a guild topic is listed in its guild only, matches new items, and a global topic cannot be edited', async () => {
    const b = await startWith(() => [story('old', 'Quiet day', 30)]);
    const added = await b.reply({
      name: 'topic',
      subcommand: 'add',
      options: { id: 'metals', name: 'Metals', query: 'gold OR @fuels' },
    });
    expect(added.content).toContain('Topic `metals` **Metals** added');
    expect(textOf(await b.reply({ name: 'topics' }))).toContain(
      '`metals` **Metals** (this server)',
    );
    expect(
      textOf(await b.reply({ name: 'topics', guildId: GUILD_B, channelId: B_NEWS })),
    ).not.toContain('metals');

    await b.reply({ name: 'subscribe', options: { topic: 'metals' } });
    b.server.setRoute('/news.xml', {
      body: rss([story('gold', 'Gold rush in the hills', 1), story('old', 'Quiet day', 30)]),
    });
    await b.poll();
    const [posted] = await b.fake.waitForMessages(NEWS, 1);
    expect(posted!.body.embeds![0]).toMatchObject({
      title: 'Gold rush in the hills',
      footer: { text: 'Metals' },
    });

    const edit = await b.reply({
      name: 'topic',
      subcommand: 'edit',
      options: { topic: 'energy', name: 'Power' },
    });
    expect(edit.content).toBe("`energy` is a global topic; only the bot's operator can change it.");
  });

  it('an owner edits a global topic: config/topics.yaml changes, and every server matches the new query', async () => {
    const b = await startWith(() => [story('old', 'Quiet day', 30)], { OWNER_IDS: ADMIN });
    const edit = await b.reply({
      name: 'topic',
      subcommand: 'edit',
      options: { topic: 'energy', query: '@fuels OR pipeline OR solar' },
    });
    expect(edit.content).toContain('Topic `energy` **Energy** updated');
    const file = await readFile(join(b.files.dir, 'topics.yaml'), 'utf8');
    expect(file).toBe(
      ENERGY_TOPICS.replace('query: "@fuels OR pipeline"', 'query: "@fuels OR pipeline OR solar"'),
    );

    await b.reply({
      name: 'subscribe',
      guildId: GUILD_B,
      channelId: B_NEWS,
      options: { topic: 'energy' },
    });
    b.server.setRoute('/news.xml', {
      body: rss([story('sun', 'Solar farm opens', 1), story('old', 'Quiet day', 30)]),
    });
    await b.poll();
    const [posted] = await b.fake.waitForMessages(B_NEWS, 1);
    expect(posted!.body.embeds![0]).toMatchObject({
      title: 'Solar farm opens',
      footer: { text: 'Energy' },
    });

    const bad = await b.reply({
      name: 'topic',
      subcommand: 'edit',
      options: { topic: 'energy', query: 'solar AND (' },
    });
    expect(bad.content).toMatch(/^That query does not work:/);
    expect(await readFile(join(b.files.dir, 'topics.yaml'), 'utf8')).toBe(file);
    const remove = await b.reply({
      name: 'topic',
      subcommand: 'remove',
      options: { topic: 'energy' },
    });
    expect(remove.content).toBe(
      '`energy` is a global topic that every server can follow; remove it from config/topics.yaml.',
    );
  });

  it('/topic test runs a query over the archive and shows its best matches', async () => {
    await startWith(() => [
      story('a', 'Gas deal signed', 2),
      story('b', 'Oil and gas talks', 3),
      story('c', 'River floods', 4),
    ]);
    const reply = await bot!.reply({
      name: 'topic',
      subcommand: 'test',
      options: { query: 'gas', since: '1d' },
    });
    expect(textOf(reply)).toMatch(/Read 3 items; \*\*2\*\* would have been posted/);
    expect(textOf(reply)).toContain('Gas deal signed');
  });
});

describe('guild feeds', () => {
  const page = (feedPath: string) => `<!doctype html><html><head><title>Local news</title>
    <link rel="alternate" type="application/rss+xml" title="RSS" href="${feedPath}"></head><body>Hi</body></html>`;

  it('/feed add finds the feed a website links, and its items reach only that guild', async () => {
    bot = await BotHarness.start({ feeds: [], env: { ALLOW_PRIVATE_FEEDS: 'true' } });
    bot.server.setRoute('/site', {
      body: page('/local/rss.xml'),
      contentType: 'text/html; charset=utf-8',
    });
    bot.server.setRoute('/local/rss.xml', {
      body: rss([story('l0', 'Town council meets', 20)], 'Local Gazette'),
    });

    const added = await bot.reply({
      name: 'feed',
      subcommand: 'add',
      options: { url: bot.server.url('/site') },
    });
    expect(added.content).toContain('Added feed `local-gazette` **Local Gazette**');
    expect(textOf(await bot.reply({ name: 'feed', subcommand: 'list' }))).toContain(
      bot.server.url('/local/rss.xml'),
    );
    await bot.reply({ name: 'subscribe', options: { topic: 'energy' } });
    await bot.reply({
      name: 'subscribe',
      guildId: GUILD_B,
      channelId: B_NEWS,
      options: { topic: 'energy' },
    });

    await bot.poll();
    bot.server.setRoute('/local/rss.xml', {
      body: rss(
        [story('l1', 'Gas station opens in town', 1), story('l0', 'Town council meets', 20)],
        'Local Gazette',
      ),
    });
    await bot.poll();
    const [posted] = await bot.fake.waitForMessages(NEWS, 1);
    expect(posted!.body.embeds![0]).toMatchObject({
      title: 'Gas station opens in town',
      author: { name: 'Local Gazette' },
    });
    expect(bot.fake.messages(B_NEWS)).toHaveLength(0);

    const mine = await bot.reply({ name: 'briefing', options: { topic: 'energy' } });
    expect(mine.embeds.map((e) => e.title)).toEqual(['Gas station opens in town']);
    const theirs = await bot.reply({
      name: 'briefing',
      guildId: GUILD_B,
      channelId: B_NEWS,
      options: { topic: 'energy' },
    });
    expect(theirs.embeds).toEqual([]);

    const status = await bot.reply({ name: 'feed', subcommand: 'status' });
    expect(textOf(status)).toMatch(/`local-gazette` \*\*Local Gazette\*\* · last fetch <t:\d+:R>/);

    const choices = await bot.fake.interact.autocomplete({
      guildId: GUILD,
      channelId: NEWS,
      name: 'feed',
      subcommand: 'remove',
      options: { feed: 'loc' },
      focused: 'feed',
    });
    expect(choices).toEqual([{ name: 'local-gazette — Local Gazette', value: 'local-gazette' }]);
    const removed = await bot.reply({
      name: 'feed',
      subcommand: 'remove',
      options: { feed: 'local-gazette' },
    });
    expect(removed.content).toBe(
      'Stopped following `local-gazette`; its items stay in the archive.',
    );
    expect(textOf(await bot.reply({ name: 'feed', subcommand: 'list' }))).not.toContain(
      'local-gazette',
    );
  });

  it('/feed add refuses a private address unless the operator allows it', async () => {
    bot = await BotHarness.start();
    bot.server.setRoute('/feed.xml', { body: rss([]) });
    const reply = await bot.reply({
      name: 'feed',
      subcommand: 'add',
      options: { url: bot.server.url('/feed.xml') },
    });
    expect(reply.content).toMatch(
      /^I could not read http:\/\/127\.0\.0\.1:\d+\/feed\.xml: .*(loopback|private)/i,
    );
    expect(bot.server.requests('/feed.xml')).toHaveLength(0);
    const bad = await bot.reply({
      name: 'feed',
      subcommand: 'add',
      options: { url: 'ftp://example.org/feed' },
    });
    expect(bad.content).toMatch(/^That URL cannot be used: .*only http and https/);
  });
});
