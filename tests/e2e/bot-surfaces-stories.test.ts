/**
 * A story is one forum post, or one briefing with its thread, whatever number of feeds carry it:
 * a later source goes into that post or thread as a message (batched to one a minute), never a
 * second post.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { STORY_EDIT_EVERY_MS } from '../../src/discord/story-posts';
import { BotHarness, textOf } from '../support/bot-harness';
import { rss, type TestEntry } from '../support/rss';
import { FORUM, SURFACE_GUILD, TEXT } from '../support/surface-guild';

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
