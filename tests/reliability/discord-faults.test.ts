/**
 * Discord misbehaving while briefings are posted: each fault is either waited out (rate limits),
 * retried later (5xx beyond discord.js's own retries) or pauses the channel (403, 404) — and once
 * it clears, every briefing has arrived exactly once and the outbox is empty. Already covered in
 * tests/e2e/bot-posting.test.ts and not repeated here: a single per-route 429, 500 ×4, 403 Missing
 * Access (50001) with its notices and /subscribe resuming a channel.
 */
import { GatewayOpcodes, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import type { FailRule } from '../support/fake-discord';
import { BotHarness, NEWS, SYSTEM, textOf } from '../support/bot-harness';
import { rss, type TestEntry } from '../support/rss';

const HOUR = 3_600_000;
const POSTS = 'POST /channels/:channelId/messages';
const TITLES = ['Gas deal one', 'Oil deal two', 'Coal deal three'];

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

function story(b: BotHarness, id: string, title: string, hoursAgo: number): TestEntry {
  return {
    title,
    guid: id,
    link: `https://example.org/${id}`,
    pubDate: new Date(b.clock.now().getTime() - hoursAgo * HOUR).toUTCString(),
  };
}

/** A bot subscribed to `energy` in #news, whose feed was seen once; then three new matching items. */
async function botWithThreeNewItems(): Promise<BotHarness> {
  const b = (bot = await BotHarness.start({
    feeds: [{ id: 'news', name: 'Energy Wire', path: '/news.xml' }],
  }));
  const old = [story(b, 'old', 'Quiet day', 30)];
  b.server.setRoute('/news.xml', { body: rss(old) });
  await b.poll();
  await b.reply({ name: 'subscribe', options: { topic: 'energy' } });
  b.server.setRoute('/news.xml', {
    body: rss([...TITLES.map((t, i) => story(b, `n${i}`, t, 3 - i)), ...old]),
  });
  return b;
}

const postStatuses = (b: BotHarness) =>
  b.fake.requests
    .filter((r) => r.method === 'POST' && r.path === `/channels/${NEWS}/messages`)
    .map((r) => r.status);
const postedTitles = (b: BotHarness) =>
  b.fake.messages(NEWS).flatMap((m) => m.body.embeds?.map((e) => e.title) ?? []);

interface Fault {
  name: string;
  rule: FailRule;
  /** What the first round leaves: everything posted, one delivery held for a retry, or the channel paused. */
  then: 'posted' | 'retry' | 'paused';
}

const faults: Fault[] = [
  {
    name: 'a global 429',
    rule: { route: POSTS, status: 429, global: true, retryAfter: 0.05 },
    then: 'posted',
  },
  {
    name: 'three per-route 429s in a row',
    rule: { route: POSTS, status: 429, retryAfter: 0.05, times: 3 },
    then: 'posted',
  },
  {
    name: "502 beyond discord.js's own three retries",
    rule: { route: POSTS, status: 502, times: 4 },
    then: 'retry',
  },
  {
    name: "503 beyond discord.js's own three retries",
    rule: { route: POSTS, status: 503, times: 4 },
    then: 'retry',
  },
  {
    name: '403 Missing Permissions (50013)',
    rule: { route: POSTS, status: 403, code: RESTJSONErrorCodes.MissingPermissions },
    then: 'paused',
  },
  {
    name: '404 Unknown Channel (10003)',
    rule: { route: POSTS, status: 404, code: RESTJSONErrorCodes.UnknownChannel },
    then: 'paused',
  },
];

describe('Discord faults while posting', () => {
  it.each(faults)('$name: nothing is dropped or doubled', async ({ rule, then }) => {
    const b = await botWithThreeNewItems();
    b.fake.failNext(rule);
    await b.poll();
    const held = await b.app.stores.outbox.pending();
    switch (then) {
      case 'posted':
        expect(postStatuses(b)).toEqual([
          429,
          ...Array(rule.times ?? 1)
            .fill(429)
            .slice(1),
          200,
          200,
          200,
        ]);
        expect(held).toEqual([]);
        break;
      case 'retry':
        // The first post failed four times and waits for a later round; the others went out.
        expect(postStatuses(b)).toEqual([
          rule.status,
          rule.status,
          rule.status,
          rule.status,
          200,
          200,
        ]);
        expect(held).toHaveLength(1);
        expect(held[0]).toMatchObject({
          attempts: 1,
          lastError: expect.stringContaining(`Discord ${rule.status}`),
        });
        break;
      case 'paused': {
        // One refused post, then the channel's other deliveries wait with it: three held, the server told.
        expect(postStatuses(b)).toEqual([rule.status]);
        expect(held).toHaveLength(3);
        const [notice] = await b.fake.waitForMessages(SYSTEM, 1);
        expect(notice!.body.content).toContain(`<#${NEWS}>`);
        expect(textOf(await b.reply({ name: 'topics' }))).toContain('paused');
        break;
      }
    }
    b.clock.advance(HOUR + 1000);
    await b.poll();
    await b.poll();
    expect(postedTitles(b).sort()).toEqual([...TITLES].sort());
    expect(await b.app.stores.outbox.pending()).toEqual([]);
    if (then === 'paused')
      expect(textOf(await b.reply({ name: 'topics' }))).not.toContain('paused');
  });

  it.each([
    ['closed with 4000 (resumable)', 4000],
    ['cut without a close frame (1006)', 1006],
  ])(
    'a gateway connection %s resumes; posting goes on meanwhile and commands work after',
    async (_name, code) => {
      const b = await botWithThreeNewItems();
      const identifies = b.fake.gateway.received.filter(
        (p) => p.op === GatewayOpcodes.Identify,
      ).length;
      b.fake.dropGateway(code);
      await b.poll();
      expect(postedTitles(b).sort()).toEqual([...TITLES].sort());

      const [resume] = await b.fake.gateway.waitForOp(GatewayOpcodes.Resume, 1, 15_000);
      expect(resume?.d).toMatchObject({ token: b.fake.token });
      expect(b.fake.gateway.received.filter((p) => p.op === GatewayOpcodes.Identify)).toHaveLength(
        identifies,
      );
      const topics = await b.reply({ name: 'topics' });
      expect(textOf(topics)).toContain('energy');
      await b.poll();
      expect(postedTitles(b)).toHaveLength(TITLES.length);
      expect(b.logLines.join('\n')).toContain('gateway resumed');
    },
  );
});
