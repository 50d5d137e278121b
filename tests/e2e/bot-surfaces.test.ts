/**
 * Each Discord-native option of /subscribe, driven through the command and checked at the fake
 * Discord: forum posts with topic tags, threads, publishing, webhook identity, layouts, and what
 * an admin sees when the bot lacks a permission.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotHarness, textOf } from '../support/bot-harness';
import { rss, type TestEntry } from '../support/rss';
import { ANNOUNCE, FORUM, LOCKED_TEXT, SURFACE_GUILD, TEXT } from '../support/surface-guild';

const HOUR = 3_600_000;
let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

function story(id: string, title: string, extra: Partial<TestEntry> = {}): TestEntry {
  return {
    title,
    guid: id,
    link: `https://example.org/${id}`,
    description: 'Ministers agreed the route of the new gas pipeline on Tuesday.',
    pubDate: new Date(bot!.clock.now().getTime() - HOUR).toUTCString(),
    ...extra,
  };
}

/** A bot with one archived item, subscribed in the surfaces guild with these options. */
async function subscribed(channelId: string, options: Record<string, string | number | boolean>) {
  bot = await BotHarness.start({
    feeds: [{ id: 'wire', name: 'Caspian Energy Wire', path: '/wire.xml' }],
    surfaces: true,
  });
  // Its own lead: two items sharing one lead word for word would be one story (a reprint).
  const old = story('old', 'Coal output steady', {
    description: 'Coal output at the northern mines held steady through November.',
  });
  bot.server.setRoute('/wire.xml', { body: rss([old]) });
  await bot.poll();
  const reply = await bot.reply({
    name: 'subscribe',
    guildId: SURFACE_GUILD,
    channelId: TEXT,
    options: { topic: 'energy', channel: channelId, ...options },
  });
  return { reply, old };
}

async function publishNew(old: TestEntry, extra: Partial<TestEntry> = {}) {
  bot!.server.setRoute('/wire.xml', {
    body: rss([story('new', 'Pipeline deal signed in Baku', extra), old]),
  });
  await bot!.poll();
}

const topicsText = async () =>
  textOf(await bot!.reply({ name: 'topics', guildId: SURFACE_GUILD, channelId: TEXT }));

describe('/subscribe surfaces, end to end', () => {
  it('a forum channel gets one post per briefing, titled with its headline and tagged with its topic', async () => {
    const { reply, old } = await subscribed(FORUM, {});
    expect(reply.content).toContain('forum posts');
    await publishNew(old);
    const [post] = bot!.fake.threads(FORUM);
    expect(post?.name).toBe('Pipeline deal signed in Baku');
    const energy = bot!.fake.forumTags(FORUM).find((t) => t.name === 'Energy');
    expect(post?.appliedTags).toEqual([energy!.id]);
    expect(bot!.fake.messages(post!.id)[0]?.body.embeds?.[0]?.title).toBe(
      'Pipeline deal signed in Baku',
    );
  });

  it('thread: true opens a thread on the briefing, archived after the chosen time', async () => {
    const { reply, old } = await subscribed(TEXT, { thread: true, auto_archive: 60 });
    expect(reply.content).toContain('thread on each');
    await publishNew(old);
    const [posted] = bot!.fake
      .messages(TEXT)
      .filter((m) => m.body.embeds?.[0]?.title?.includes('Baku'));
    const [thread] = bot!.fake.threads(TEXT);
    expect(thread).toMatchObject({
      name: 'Pipeline deal signed in Baku',
      autoArchiveDuration: 60,
      starterMessageId: posted!.id,
    });
  });

  it('publish: true crossposts the briefing in an announcement channel', async () => {
    const { old } = await subscribed(ANNOUNCE, { publish: true });
    await publishNew(old);
    const posted = bot!.fake.messages(ANNOUNCE).at(-1)!;
    expect(textOf(posted.message)).toContain('Pipeline deal signed in Baku');
    expect(bot!.fake.isCrossposted(posted.id)).toBe(true);
  });

  it('publish in a text channel is refused with a reason, and nothing is stored', async () => {
    const { reply } = await subscribed(TEXT, { publish: true });
    expect(reply.content).toContain('`publish` needs an announcement channel');
    expect(await topicsText()).not.toContain('published to followers');
  });

  it('a webhook identity posts under the given name and avatar', async () => {
    const avatar = 'https://cdn.example.org/desk.png';
    const { reply, old } = await subscribed(TEXT, {
      webhook_name: 'Energy desk',
      avatar_url: avatar,
    });
    expect(reply.content).toContain('via webhook');
    await publishNew(old);
    const posted = bot!.fake.messages(TEXT).at(-1)!;
    expect(posted.identity).toEqual({ username: 'Energy desk', avatarUrl: avatar });
    expect(textOf(posted.message)).toContain('Pipeline deal signed in Baku');
    expect(bot!.fake.webhooks(TEXT)).toHaveLength(1);
    expect(bot!.logLines.join('\n')).not.toContain(bot!.fake.webhooks(TEXT)[0]!.token);
  });

  it('a webhook name Discord refuses is an answer at /subscribe', async () => {
    const { reply } = await subscribed(TEXT, { webhook_name: 'Discord News' });
    expect(reply.content).toContain('may not contain "discord"');
  });

  it('layout: compact posts one line with source and link', async () => {
    const { old } = await subscribed(TEXT, { layout: 'compact' });
    await publishNew(old);
    const posted = bot!.fake.messages(TEXT).at(-1)!;
    expect(posted.body.embeds ?? []).toEqual([]);
    expect(posted.body.content).toBe(
      '**Pipeline deal signed in Baku** · Caspian Energy Wire · <https://example.org/new>',
    );
  });

  it('a compact digest is plain text: one line per briefing with source and link, no embeds', async () => {
    const at = new Date(Date.now() + 2 * HOUR);
    const digestTime = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    const { old } = await subscribed(TEXT, {
      layout: 'compact',
      mode: 'digest',
      digest_time: digestTime,
    });
    await publishNew(old);
    expect(bot!.fake.messages(TEXT)).toEqual([]);
    bot!.clock.advance(2 * HOUR);
    await bot!.poll();
    const [digest] = bot!.fake.messages(TEXT);
    expect(digest?.body.embeds ?? []).toEqual([]);
    expect(digest?.body.content).toBe(
      [
        '**Energy — last 24h**',
        '• **Pipeline deal signed in Baku** · Caspian Energy Wire · <https://example.org/new>',
      ].join('\n'),
    );
  });

  it('layout: headline posts title, source and time, without the summary', async () => {
    const { old } = await subscribed(TEXT, { layout: 'headline' });
    await publishNew(old);
    const embed = bot!.fake.messages(TEXT).at(-1)!.body.embeds![0]!;
    expect(embed).toMatchObject({
      title: 'Pipeline deal signed in Baku',
      url: 'https://example.org/new',
      author: { name: 'Caspian Energy Wire' },
    });
    expect(embed.description).not.toContain('Ministers');
  });

  it("card_template sets the server's card text, shown in /topics and used by card posts", async () => {
    const { reply, old } = await subscribed(TEXT, {
      card_template: 'From {source} on {topics}: {summary}',
    });
    expect(reply.content).toContain('Cards in this server now use your template');
    const topics = await bot!.reply({ name: 'topics', guildId: SURFACE_GUILD, channelId: TEXT });
    expect(topics.embeds[1]?.fields?.[0]?.value).toContain('From {source} on {topics}');
    await publishNew(old);
    const embed = bot!.fake.messages(TEXT).at(-1)!.body.embeds![0]!;
    expect(embed.description).toBe(
      'From Caspian Energy Wire on Energy: Ministers agreed the route of the new gas pipeline on Tuesday.',
    );
  });

  it('a card template Discord could not show is refused when set', async () => {
    const { reply } = await subscribed(TEXT, { card_template: '{title} {headline}' });
    expect(reply.content).toContain('{headline} is not a placeholder');
  });

  it('a missing thread permission is said at /subscribe and shown paused; the briefing still posts', async () => {
    const { reply, old } = await subscribed(LOCKED_TEXT, { thread: true });
    expect(reply.content).toContain('Create Public Threads');
    expect(await topicsText()).toMatch(/thread paused/);
    await publishNew(old);
    expect(textOf(bot!.fake.messages(LOCKED_TEXT).at(-1)?.message)).toContain('Baku');
    expect(bot!.fake.threads(LOCKED_TEXT)).toEqual([]);
    expect(await topicsText()).toMatch(/thread paused/);
  });

  it('without Manage Webhooks the admin is told, the briefing goes out as the bot, and the webhook shows paused', async () => {
    const { reply, old } = await subscribed(LOCKED_TEXT, { webhook_name: 'Energy desk' });
    expect(reply.content).toContain('Manage Webhooks');
    await publishNew(old);
    const posted = bot!.fake.messages(LOCKED_TEXT).at(-1)!;
    expect(textOf(posted.message)).toContain('Pipeline deal signed in Baku');
    expect(posted.identity).toBeUndefined();
    expect(bot!.fake.webhooks(LOCKED_TEXT)).toEqual([]);
    expect(await topicsText()).toMatch(/webhook paused/);
  });

  it('a forum that refuses the bot pauses the subscription visibly, and nothing is lost', async () => {
    const { old } = await subscribed(FORUM, {});
    // The bot's role loses Send Messages (Create Posts) in the forum after subscribing.
    bot!.fake.failNext({ route: `POST /channels/${FORUM}/threads`, status: 403, code: 50001 });
    await publishNew(old);
    expect(bot!.fake.threads(FORUM)).toEqual([]);
    expect(await topicsText()).toMatch(/paused .*Forum posts/);
    expect(await bot!.app.stores.outbox.pending()).toHaveLength(1);
  });
});
