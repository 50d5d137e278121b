/**
 * Feed text is untrusted, end to end: an item whose title, description and link try to ping
 * (@everyone, @here, roles, users, channels), to break out of markdown (masked links, formatting,
 * spoilers, code fences, headings) and to blow Discord's limits (100 KB title, 1 MB description),
 * from a guild feed whose own title is hostile too, is posted through the real bot — and the fake
 * Discord, which enforces Discord's limits, accepts it with no mention parsed and none spelled.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotHarness, NEWS, ROLE } from '../support/bot-harness';
import { rss } from '../support/rss';

const USER = '100000000000000001';
const PINGS = `@everyone @here <@&${ROLE}> <@${USER}> <@!${USER}> <#${NEWS}> </feed add:1> <t:0:R>`;
const MARKDOWN =
  '**bold** __under__ ~~strike~~ ||spoiler|| `code` ```fence``` [click](https://evil.example/)';
const TITLE = `Gas ${PINGS} ${MARKDOWN} ${'x'.repeat(100_000)}`;
const DESCRIPTION = `# Heading\n> quote\n- list\n${PINGS}\n${MARKDOWN}\n[phish](https://evil.example/login)\n${'gas pipeline news. '.repeat(55_000)}`;

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe('hostile feed text', () => {
  it('is posted without a mention parsed or spelled, without live markdown, and within every limit', async () => {
    const b = (bot = await BotHarness.start({ env: { ALLOW_PRIVATE_FEEDS: 'true' } }));
    b.server.setRoute('/wire.xml', {
      body: rss([{ title: 'Calm start', guid: 'calm' }], `@everyone <@&${ROLE}> **Breaking** Wire`),
    });
    expect(
      (
        await b.reply({
          name: 'feed',
          subcommand: 'add',
          options: { url: b.server.url('/wire.xml') },
        })
      ).content,
    ).toContain('Added feed');
    await b.reply({ name: 'subscribe', options: { topic: 'energy' } });
    await b.poll();

    const link = `https://example.org/@everyone/<@&${ROLE}>/a)[x](https://evil.example/`;
    b.server.setRoute('/wire.xml', {
      body: rss(
        [
          { title: TITLE, guid: 'hostile', link, description: DESCRIPTION },
          { title: 'Calm start', guid: 'calm' },
        ],
        `@everyone <@&${ROLE}> **Breaking** Wire`,
      ),
    });
    await b.poll();
    const [posted] = await b.fake.waitForMessages(NEWS, 1);
    const { body } = posted!;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content ?? '').toBe('');
    expect(posted!.message.mentions).toEqual([]);
    expect(posted!.message.mention_roles).toEqual([]);
    expect(posted!.message.mention_everyone).toBe(false);

    const embed = body.embeds![0]!;
    // Everything the feed wrote, wherever it shows; the bot's own "Published <t:…:R>" is not feed text.
    const feedText = [
      embed.title,
      embed.description,
      embed.author?.name,
      ...(embed.fields ?? []).filter((f) => f.name !== 'Published').map((f) => f.value),
    ].join('\n');
    expect(feedText).toContain('Gas');
    expect(feedText).not.toMatch(/@(everyone|here)/);
    expect(feedText).not.toMatch(/<(@[!&]?|#|\/|t:)/);
    // Markdown is escaped where Discord renders it (title, description): no masked link, formatting run or heading.
    const rendered = `${embed.title}\n${embed.description}`;
    expect(rendered).not.toMatch(/(^|[^\\])\[(click|phish)\]\(/m);
    expect(rendered).not.toMatch(/(^|[^\\])(\*\*|__|~~|\|\||```)/m);
    expect(rendered).not.toMatch(/^#/m);
    // The link goes in the embed's url field, never into markdown: one URL, as the URL parser wrote it.
    expect(embed.url).toBe(
      `https://example.org/@everyone/%3C@&${ROLE}%3E/a)[x](https://evil.example/`,
    );
    expect([...(embed.title ?? '')].length).toBeLessThanOrEqual(256);
    expect([...(embed.description ?? '')].length).toBeLessThanOrEqual(4096);
    expect(b.fake.messages(NEWS)).toHaveLength(1);
  });
});
