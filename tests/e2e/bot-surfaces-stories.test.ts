/**
 * A story is one forum post, or one briefing with its thread, whatever number of feeds carry it:
 * a later source goes into that post or thread as a message (batched to one a minute), never a
 * second post. On every other surface (a webhook's post, a published one, a compact or headline
 * layout) the later source is listed by editing the story's post.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { STORY_EDIT_EVERY_MS } from '../../src/discord/story-posts';
import { BotHarness, textOf } from '../support/bot-harness';
import { rss, type TestEntry } from '../support/rss';
import { Routes } from 'discord.js';
import { ANNOUNCE, FORUM, SURFACE_GUILD, surfaceRest, TEXT } from '../support/surface-guild';

const HOUR = 3_600_000;
let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const at = (hoursAgo: number) =>
  new Date(bot!.clock.now().getTime() - hoursAgo * HOUR).toUTCString();

/** One invented event, as a port authority and a shipping paper would each tell it. */
const authority = (): TestEntry => ({
  title: 'Aktau port opens new oil loading berth for Caspian tankers',
  link: 'https://port.example.kz/news/aktau-oil-berth-opens',
  guid: 'port-berth-7',
  description:
    'The port of Aktau opened a new oil loading berth on Monday that lets tankers of up to 12,000 tonnes load crude bound for Baku, the port authority said.',
  pubDate: at(2),
});
const paper = (): TestEntry => ({
  title: 'New Aktau oil berth opens to Caspian tankers',
  link: 'https://shipping.example.com/caspian/aktau-berth-opens-1182',
  guid: 'ship-1182',
  description:
    'AKTAU. A new oil loading berth opened at the port of Aktau on Monday, letting tankers of up to 12,000 tonnes take on crude bound for Baku, the port authority said.',
  pubDate: at(1),
});
const calm = (id: string): TestEntry => ({
  title: `Nothing new at ${id}`,
  guid: `calm-${id}`,
  link: `https://example.org/calm-${id}`,
  pubDate: 'Mon, 02 Nov 2026 08:00:00 GMT',
});

/** Two feeds seen once (first sight posts nothing), and `channel` following energy with `options`. */
async function start(channel: string, options: Record<string, string | number | boolean>) {
  bot = await BotHarness.start({
    feeds: [
      { id: 'port', name: 'Aktau Port Authority', path: '/port.xml' },
      { id: 'ship', name: 'Caspian Shipping Gazette', path: '/ship.xml' },
    ],
    surfaces: true,
    sharedClock: true,
  });
  bot.server.setRoute('/port.xml', { body: rss([calm('port')]) });
  bot.server.setRoute('/ship.xml', { body: rss([calm('ship')]) });
  await bot.poll();
  await bot.reply({
    name: 'subscribe',
    guildId: SURFACE_GUILD,
    channelId: TEXT,
    options: { topic: 'energy', channel, ...options },
  });
}

/** The first source, then a poll later the second, then the minute after which it is told. */
async function twoSourcesArrive() {
  bot!.server.setRoute('/port.xml', { body: rss([authority(), calm('port')]) });
  await bot!.poll();
  bot!.server.setRoute('/ship.xml', { body: rss([paper(), calm('ship')]) });
  await bot!.poll();
}

describe('later sources of a story on forum and thread subscriptions', () => {
  it('a forum gets one post per story; the later source is a message in that post', async () => {
    await start(FORUM, {});
    await twoSourcesArrive();
    const [post] = bot!.fake.threads(FORUM);
    expect(bot!.fake.threads(FORUM)).toHaveLength(1);
    expect(post!.name).toBe(authority().title);
    // Within the minute after the post: batched, not yet told.
    expect(bot!.fake.messages(post!.id)).toHaveLength(1);

    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    expect(bot!.fake.threads(FORUM)).toHaveLength(1);
    const messages = bot!.fake.messages(post!.id);
    expect(messages).toHaveLength(2);
    const told = textOf(messages[1]!.message);
    expect(told).toContain('Also reported by');
    expect(told).toContain('Caspian Shipping Gazette');
    expect(told).toContain(paper().link);
    expect(await bot!.app.stores.outbox.pending()).toEqual([]);

    // Told once: later polls add nothing.
    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    expect(bot!.fake.messages(post!.id)).toHaveLength(2);
  });

  it('a bot that stopped after making the forum post, before recording it, makes no second post', async () => {
    await start(FORUM, {});
    // The process ends between Discord's answer and the outbox's record of it: the delivery stays.
    const outbox = bot!.app.stores.outbox;
    outbox.remove = () => Promise.reject(new Error('process ended before the record'));
    bot!.server.setRoute('/port.xml', { body: rss([authority(), calm('port')]) });
    await bot!.poll();
    expect(bot!.fake.threads(FORUM)).toHaveLength(1);
    expect(await outbox.pending()).toHaveLength(1);

    await bot!.restart();
    await bot!.poll();
    expect(bot!.fake.threads(FORUM)).toHaveLength(1);
    expect(await bot!.app.stores.outbox.pending()).toEqual([]);
    // And the post found again is the story's: the later source goes into it.
    bot!.server.setRoute('/ship.xml', { body: rss([paper(), calm('ship')]) });
    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    const [post] = bot!.fake.threads(FORUM);
    expect(textOf(bot!.fake.messages(post!.id).at(-1)!.message)).toContain(
      'Caspian Shipping Gazette',
    );
  });

  it('thread: true tells the later source in the briefing’s thread, not as a second briefing', async () => {
    await start(TEXT, { thread: true });
    await twoSourcesArrive();
    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    const briefings = bot!.fake.messages(TEXT).filter((m) => textOf(m.message).includes('Aktau'));
    expect(briefings).toHaveLength(1);
    const [thread] = bot!.fake.threads(TEXT);
    expect(thread?.starterMessageId).toBe(briefings[0]!.id);
    const inThread = bot!.fake.messages(thread!.id);
    expect(inThread).toHaveLength(1);
    expect(textOf(inThread[0]!.message)).toContain('Caspian Shipping Gazette');
  });
});

/** The channel's posts about the story: there must be exactly one, whatever the sources. */
function storyPost(channelId: string) {
  const posts = bot!.fake.messages(channelId).filter((m) => textOf(m.message).includes('Aktau'));
  expect(posts).toHaveLength(1);
  return posts[0]!;
}

/** Nothing waits in the outbox, and no later source was reported as a failure. */
async function settledQuietly() {
  expect(await bot!.app.stores.outbox.pending()).toEqual([]);
  expect(bot!.logLines.join('\n')).not.toMatch(/delivery dropped/);
}

describe('later sources of a story on webhook, publishing and layout subscriptions', () => {
  it('a webhook’s post is edited through the webhook to list the later source', async () => {
    await start(TEXT, { webhook_name: 'Energy desk' });
    await twoSourcesArrive();
    expect(storyPost(TEXT).edits ?? []).toEqual([]);

    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    const post = storyPost(TEXT);
    expect(post.message.webhook_id).toBe(bot!.fake.webhooks(TEXT)[0]!.id);
    expect(post.edits).toHaveLength(1);
    expect(textOf(post.message)).toContain('Also reported by');
    expect(textOf(post.message)).toContain('Caspian Shipping Gazette');
    await settledQuietly();
    expect(bot!.logLines.join('\n')).not.toContain(bot!.fake.webhooks(TEXT)[0]!.token);
  });

  it('after a restart the webhook is found again to edit its post', async () => {
    await start(TEXT, { webhook_name: 'Energy desk' });
    bot!.server.setRoute('/port.xml', { body: rss([authority(), calm('port')]) });
    await bot!.poll();
    await bot!.restart();
    bot!.server.setRoute('/ship.xml', { body: rss([paper(), calm('ship')]) });
    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    expect(textOf(storyPost(TEXT).message)).toContain('Caspian Shipping Gazette');
    expect(bot!.fake.webhooks(TEXT)).toHaveLength(1);
    await settledQuietly();
  });

  it('a webhook deleted since the post leaves the later source untold, quietly and without a second post', async () => {
    await start(TEXT, { webhook_name: 'Energy desk' });
    bot!.server.setRoute('/port.xml', { body: rss([authority(), calm('port')]) });
    await bot!.poll();
    await surfaceRest(bot!.fake).delete(Routes.webhook(bot!.fake.webhooks(TEXT)[0]!.id));
    bot!.server.setRoute('/ship.xml', { body: rss([paper(), calm('ship')]) });
    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    expect(textOf(storyPost(TEXT).message)).not.toContain('Caspian Shipping Gazette');
    expect(storyPost(TEXT).edits ?? []).toEqual([]);
    await settledQuietly();
    expect(bot!.logLines.join('\n')).toMatch(/later source not told.*webhook that posted it/);
  });

  it('a post deleted since leaves the later source untold, quietly and without a second post', async () => {
    await start(TEXT, { layout: 'headline' });
    bot!.server.setRoute('/port.xml', { body: rss([authority(), calm('port')]) });
    await bot!.poll();
    await surfaceRest(bot!.fake).delete(Routes.channelMessage(TEXT, storyPost(TEXT).id));
    bot!.server.setRoute('/ship.xml', { body: rss([paper(), calm('ship')]) });
    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    expect(bot!.fake.messages(TEXT).filter((m) => textOf(m.message).includes('Aktau'))).toEqual([]);
    await settledQuietly();
    expect(bot!.logLines.join('\n')).toMatch(/later source not told.*the post was deleted/);
  });

  it('a published post is edited in place, and published once', async () => {
    await start(ANNOUNCE, { publish: true });
    await twoSourcesArrive();
    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    const post = storyPost(ANNOUNCE);
    expect(bot!.fake.isCrossposted(post.id)).toBe(true);
    expect(post.edits).toHaveLength(1);
    expect(textOf(post.message)).toContain('Caspian Shipping Gazette');
    await settledQuietly();
  });

  it('a compact line gains a small-text line naming the later source', async () => {
    await start(TEXT, { layout: 'compact' });
    await twoSourcesArrive();
    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    const post = storyPost(TEXT);
    expect(post.message.embeds ?? []).toEqual([]);
    const [line, sources] = post.message.content.split('\n');
    expect(line).toContain(authority().link);
    expect(sources).toBe('-# Also reported by: Caspian Shipping Gazette');
    await settledQuietly();
  });

  it('a headline lists the later source in its embed', async () => {
    await start(TEXT, { layout: 'headline' });
    await twoSourcesArrive();
    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    const [embed] = storyPost(TEXT).message.embeds;
    expect(embed!.title).toBe(authority().title);
    expect(embed!.fields).toEqual([
      { name: 'Also reported by', value: 'Caspian Shipping Gazette' },
    ]);
    await settledQuietly();
  });
});
