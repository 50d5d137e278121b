import {
  type APIMessage,
  type APIStringSelectComponent,
  ComponentType,
  InteractionResponseType,
  MessageFlags,
} from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { renderDiscordMessage } from '../../src/delivery/render-discord';
import { newDelivery } from '../../src/store/outbox';
import { createStoryPostsRepo, type StoryPostsRepo } from '../../src/store/story-posts';
import { createStoryPosting, STORY_EDIT_EVERY_MS } from '../../src/discord/story-posts';
import { storyDelivery } from '../../src/worker/story-routing';
import { BotHarness, NEWS, OTHER } from '../support/bot-harness';
import { rss, type TestEntry } from '../support/rss';

const HOUR = 3_600_000;

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** One invented event as a ministry's release and an agency would each put it. */
function release(hoursAgo: number): TestEntry {
  return {
    title: 'Kazakhstan and Azerbaijan sign gas pipeline agreement in Baku',
    link: 'https://gov.example.kz/en/press/2026/pipeline-agreement-baku',
    guid: 'gov-pipeline-baku',
    description:
      'Energy ministers of Kazakhstan and Azerbaijan signed an agreement in Baku on Tuesday to build a 700-kilometre gas pipeline under the Caspian Sea by 2030, the ministry said.',
    pubDate: new Date(bot!.clock.now().getTime() - hoursAgo * HOUR).toUTCString(),
  };
}
function agency(hoursAgo: number): TestEntry {
  return {
    title: 'Kazakh, Azerbaijani ministers sign Caspian gas pipeline deal in Baku',
    link: 'https://agency.example.az/en/business/caspian-gas-pipeline-deal-4130077',
    guid: 'az-4130077',
    description:
      'BAKU, Azerbaijan. The energy ministers of Kazakhstan and Azerbaijan on Tuesday signed an agreement in Baku on a 700-kilometre gas pipeline across the Caspian Sea, to be built by 2030, Trend reports.',
    pubDate: new Date(bot!.clock.now().getTime() - hoursAgo * HOUR).toUTCString(),
  };
}
const quiet = (id: string): TestEntry => ({
  title: `Quiet day ${id}`,
  guid: `quiet-${id}`,
  link: `https://example.org/quiet-${id}`,
  pubDate: 'Mon, 02 Nov 2026 08:00:00 GMT',
});

/** A bot watching two feeds, both seen once (first sight posts nothing), #news following energy. */
async function startWithTwoFeeds() {
  bot = await BotHarness.start({
    feeds: [
      { id: 'gov', name: 'Energy Ministry', path: '/gov.xml' },
      { id: 'az', name: 'Trend', path: '/az.xml' },
    ],
  });
  bot.server.setRoute('/gov.xml', { body: rss([quiet('gov')]) });
  bot.server.setRoute('/az.xml', { body: rss([quiet('az')]) });
  await bot.poll();
  await bot.reply({ name: 'subscribe', options: { topic: 'energy' } });
}

const sourcesField = (m: { embeds?: Array<{ fields?: Array<{ name: string; value: string }> }> }) =>
  m.embeds?.[0]?.fields?.find((f) => f.name === 'Also reported by')?.value;

describe('one post per story in Discord', () => {
  it('a later source edits the story post to list it, at most once a minute, and never posts again', async () => {
    await startWithTwoFeeds();
    bot!.server.setRoute('/gov.xml', { body: rss([release(2), quiet('gov')]) });
    await bot!.poll();
    const [posted] = await bot!.fake.waitForMessages(NEWS, 1);
    expect(posted!.body.embeds![0]!.title).toBe(release(2).title);
    expect(sourcesField(posted!.body)).toBeUndefined();

    bot!.server.setRoute('/az.xml', { body: rss([agency(1), quiet('az')]) });
    await bot!.poll();
    // Posted within the minute: the edit waits for the batch.
    expect(posted!.edits ?? []).toEqual([]);

    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);
    expect(posted!.edits).toHaveLength(1);
    expect(sourcesField(posted!.message)).toBe('Trend');
    expect(posted!.message.embeds[0]!.title).toBe(release(2).title);
    expect(await bot!.app.stores.outbox.pending()).toEqual([]);

    await bot!.poll();
    expect(posted!.edits).toHaveLength(1);
  });

  it('a source arriving after the post is a day old is not told at all', async () => {
    await startWithTwoFeeds();
    bot!.server.setRoute('/gov.xml', { body: rss([release(1), quiet('gov')]) });
    await bot!.poll();
    const [posted] = await bot!.fake.waitForMessages(NEWS, 1);
    bot!.clock.advance(25 * HOUR);
    bot!.server.setRoute('/az.xml', { body: rss([agency(24), quiet('az')]) });
    await bot!.poll();
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);
    expect(posted!.edits ?? []).toEqual([]);
    expect(await bot!.app.stores.outbox.pending()).toEqual([]);
  });

  it('a channel following two topics a story matches gets one post, and the second source edits it', async () => {
    await startWithTwoFeeds();
    await bot!.reply({ name: 'subscribe', options: { topic: 'water' } });
    const wet = (e: TestEntry): TestEntry => ({
      ...e,
      description: `${e.description} It will cross no river.`,
    });
    bot!.server.setRoute('/gov.xml', { body: rss([wet(release(2)), quiet('gov')]) });
    bot!.server.setRoute('/az.xml', { body: rss([wet(agency(1)), quiet('az')]) });
    await bot!.poll();
    bot!.clock.advance(STORY_EDIT_EVERY_MS);
    await bot!.poll();
    const messages = bot!.fake.messages(NEWS);
    expect(messages).toHaveLength(1);
    // Listed when it was posted, or by the one edit after it: either way both sources are there.
    const listed = sourcesField(messages[0]!.message);
    expect(listed === 'Trend' || listed === 'Energy Ministry').toBe(true);
    expect(messages[0]!.message.embeds[0]!.footer?.text).toMatch(/Energy · Water|Water · Energy/);
  });

  it('a crash between the post and its record neither loses the story nor posts it twice', async () => {
    await startWithTwoFeeds();
    const real = createStoryPostsRepo(bot!.app.kv, { retentionMs: 30 * 24 * HOUR });
    const killed: StoryPostsRepo = {
      ...real,
      record: () => Promise.reject(new Error('process killed before the record was written')),
    };
    const rest = bot!.app.discord!.bot.client.rest;
    const now = () => bot!.clock.now();
    const item = { key: 'item-1', feedId: 'gov' };
    const delivery = {
      ...storyDelivery(
        newDelivery({ kind: 'channel', channelId: NEWS }, item.key, ['energy'], now()),
        'story-1',
      ),
      storyId: 'story-1',
    };
    const briefing = {
      item: {
        ...item,
        storyKey: 'k',
        title: 'Pipeline deal',
        description: '',
        text: '',
        categories: [],
        publishedAt: now().toISOString(),
        fetchedAt: now().toISOString(),
      },
      feedName: 'Energy Ministry',
      summary: 'A pipeline deal.',
      topics: [],
    };
    const message = renderDiscordMessage(briefing);

    await expect(
      createStoryPosting({ rest, posts: killed, now }).post(delivery, briefing, NEWS, message),
    ).rejects.toThrow(/killed/);
    expect(bot!.fake.messages(NEWS)).toHaveLength(1);
    expect(await real.get(delivery.target, 'story-1')).toBeUndefined();

    // The delivery is still in the outbox; its retry carries the same nonce.
    const retried = await createStoryPosting({ rest, posts: real, now }).post(
      { ...delivery, attempts: 1 },
      briefing,
      NEWS,
      message,
    );
    expect(retried).toEqual({ kind: 'sent' });
    const messages = bot!.fake.messages(NEWS);
    expect(messages).toHaveLength(1);
    expect(await real.get(delivery.target, 'story-1')).toMatchObject({
      messageId: messages[0]!.id,
      channelId: NEWS,
    });
  });
});

describe('/briefing lists stories', () => {
  /** #news after a story carried by two feeds, and a second story from one of them. */
  async function startWithAStory() {
    await startWithTwoFeeds();
    const second: TestEntry = {
      title: 'Turkmenistan opens gas compressor station near the Caspian coast',
      link: 'https://agency.example.az/en/business/compressor-station-4130100',
      guid: 'az-4130100',
      description:
        'A new gas compressor station went into service in western Turkmenistan on Monday, the agency reports.',
      pubDate: new Date(bot!.clock.now().getTime() - 0.5 * HOUR).toUTCString(),
    };
    bot!.server.setRoute('/gov.xml', { body: rss([release(2), quiet('gov')]) });
    bot!.server.setRoute('/az.xml', { body: rss([second, agency(1), quiet('az')]) });
    await bot!.poll();
    return second;
  }
  const menuOf = (message: APIMessage) =>
    message
      .components!.flatMap((row) => (row as { components: unknown[] }).components)
      .find(
        (c): c is APIStringSelectComponent =>
          (c as { type: number }).type === ComponentType.StringSelect,
      );

  it('lists a story carried by two feeds once, with its sources, and opens them privately', async () => {
    const second = await startWithAStory();
    const page = await bot!.reply({ name: 'briefing', options: { topic: 'energy', since: '1d' } });
    expect(page.embeds.map((e) => e.title)).toEqual([second.title, release(2).title]);
    expect(page.content).toContain('2 stories (3 items)');
    const story = page.embeds[1]!;
    expect(story.url).toBe(release(2).link);
    expect(story.footer?.text).toMatch(/^Energy Ministry · 2 sources · Energy/);
    expect(story.description).toMatch(/Also reported by: Trend$/);
    expect(page.embeds[0]!.footer?.text).toMatch(/^Trend · 1 source/);

    const menu = menuOf(page)!;
    expect(menu.custom_id.length).toBeLessThanOrEqual(100);
    // Only stories that more than one source carries: a story of one is its embed.
    expect(menu.options.map((o) => o.label)).toEqual([release(2).title]);
    expect(menu.options[0]!.description).toBe('2 sources · Energy Ministry');

    const chosen = await bot!.fake.interact.select({
      message: page,
      customId: menu.custom_id,
      values: [menu.options[0]!.value],
      userId: '100000000000000002',
    });
    const response = await chosen.waitForResponse();
    expect(
      response.type === InteractionResponseType.DeferredChannelMessageWithSource &&
        response.data?.flags,
    ).toBe(MessageFlags.Ephemeral);
    await chosen.waitForEdit();
    const sources = chosen.final()!.embeds[0]!;
    expect(sources.title).toBe(release(2).title);
    expect(sources.footer?.text).toBe('2 sources · first seen');
    expect(sources.description).toContain(`**Energy Ministry** — ${release(2).title}`);
    expect(sources.description).toContain(`**Trend** — ${agency(1).title}`);
    expect(sources.description).toContain(`<${agency(1).link}>`);
    // The page itself is left as it was.
    expect(chosen.final()!.id).not.toBe(page.id);
  });

  it('the reply to /subscribe shows the latest stories, a story of two feeds once', async () => {
    const second = await startWithAStory();
    const reply = await bot!.reply({
      name: 'subscribe',
      options: { topic: 'energy', channel: OTHER },
    });
    expect(reply.embeds.map((e) => e.title)).toEqual([second.title, release(2).title]);
    expect(reply.embeds[1]!.description).toMatch(/Also reported by: Trend$/);
  });

  it('items: true lists single items, as before stories, without the sources menu', async () => {
    const second = await startWithAStory();
    const page = await bot!.reply({
      name: 'briefing',
      options: { topic: 'energy', since: '1d', items: true },
    });
    expect(page.embeds.map((e) => e.title)).toEqual([
      second.title,
      agency(1).title,
      release(2).title,
    ]);
    expect(page.content).toContain('3 items');
    expect(page.content).not.toContain('stor');
    expect(menuOf(page)).toBeUndefined();
  });

  it('pages by story: a story on the first page is not listed again on the next', async () => {
    const second = await startWithAStory();
    const first = await bot!.reply({
      name: 'briefing',
      options: { topic: 'energy', since: '1d', limit: 1 },
    });
    expect(first.embeds.map((e) => e.title)).toEqual([second.title]);
    expect(first.content).toContain('at least 2 stories (3 items)');
    const next = (first.components![0] as { components: Array<{ custom_id: string }> })
      .components[1]!;
    const turned = await bot!.fake.interact.button({ message: first, customId: next.custom_id });
    await turned.waitForEdit();
    const page2 = turned.final()!;
    expect(page2.embeds.map((e) => e.title)).toEqual([release(2).title]);
    expect(page2.content).toContain('2 stories (3 items)');
    expect(page2.content).not.toContain('at least');
  });
});
