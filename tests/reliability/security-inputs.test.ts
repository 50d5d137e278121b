/**
 * Every slash-command input is bounded where Discord can bound it (declared lengths, ranges,
 * choices) and validated again by the bot, since a request need not come from Discord's client:
 * the fake Discord passes values over the declared limits straight through, and the bot must
 * refuse each one with a message the user can act on, never echoing the oversized value back.
 */
import type { APIApplicationCommandOption } from 'discord-api-types/v10';
import { ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandModules } from '../../commands/index';
import { CARD_TEMPLATE_MAX } from '../../src/services/subscriptions';
import { INPUT_LIMITS } from '../../src/services/validate';
import type { OptionValue } from '../support/fake-discord';
import { BotHarness, NEWS } from '../support/bot-harness';

/** Every option of every command as `/command [subcommand] option`, with its declaration. */
function allOptions(): Array<[string, APIApplicationCommandOption]> {
  const out: Array<[string, APIApplicationCommandOption]> = [];
  const walk = (options: APIApplicationCommandOption[] | undefined, path: string) => {
    for (const o of options ?? []) {
      if (o.type === T.Subcommand || o.type === T.SubcommandGroup)
        walk(o.options, `${path} ${o.name}`);
      else out.push([`${path} ${o.name}`, o]);
    }
  };
  for (const { command } of commandModules) {
    const json = command.data.toJSON();
    walk(json.options as APIApplicationCommandOption[] | undefined, `/${json.name}`);
  }
  return out;
}

const z = (max: number) => 'z'.repeat(max + 1);
const L = INPUT_LIMITS;
const longer = (what: string, max: number) =>
  new RegExp(`^${what} is longer than ${max} characters\\.$`);
const unknownTopic = /^There is no topic `z{64}` here; `\/topics` lists them\.$/;

/** [option, the command's options (the one under test out of bounds), what the bot answers] */
const outOfBounds: Array<[string, Record<string, OptionValue>, RegExp]> = [
  ['/briefing topic', { topic: z(L.topicRef) }, unknownTopic],
  ['/briefing since', { topic: 'energy', since: z(L.since) }, longer('since', L.since)],
  ['/briefing text', { topic: 'energy', text: z(L.text) }, longer('text', L.text)],
  [
    '/briefing limit',
    { topic: 'energy', limit: 1000 },
    /^`limit` is a whole number from 1 to 10\.$/,
  ],
  ['/subscribe topic', { topic: z(L.topicRef) }, unknownTopic],
  ['/subscribe mode', { topic: 'energy', mode: z(20) }, /^`mode` is `instant` or `digest`\.$/],
  [
    '/subscribe digest_time',
    { topic: 'energy', mode: 'digest', digest_time: z(L.digestTime) },
    /^`digest_time` is a UTC time of day/,
  ],
  [
    '/unsubscribe topic',
    { topic: z(L.topicRef) },
    new RegExp(`^<#${NEWS}> does not follow \`z{64}\`\\.$`),
  ],
  [
    '/topic add id',
    { id: z(L.topicId), name: 'Fresh', query: 'gas' },
    longer('The topic id', L.topicId),
  ],
  [
    '/topic add name',
    { id: 'fresh', name: z(L.topicName), query: 'gas' },
    longer('The name', L.topicName),
  ],
  [
    '/topic add query',
    { id: 'fresh', name: 'Fresh', query: z(L.query) },
    longer('The query', L.query),
  ],
  [
    '/topic add min_score',
    { id: 'fresh', name: 'Fresh', query: 'gas', min_score: 1e9 },
    /^`min_score` is a number from 0 to 100\.$/,
  ],
  ['/topic edit topic', { topic: z(L.topicRef) }, unknownTopic],
  ['/topic edit name', { topic: 'mine', name: z(L.topicName) }, longer('The name', L.topicName)],
  ['/topic edit query', { topic: 'mine', query: z(L.query) }, longer('The query', L.query)],
  [
    '/topic edit min_score',
    { topic: 'mine', min_score: -1 },
    /^`min_score` is a number from 0 to 100\.$/,
  ],
  ['/topic remove topic', { topic: z(L.topicRef) }, unknownTopic],
  [
    '/subscribe layout',
    { topic: 'energy', layout: z(20) },
    /^`layout` is one of card, compact, headline\.$/,
  ],
  [
    '/subscribe auto_archive',
    { topic: 'energy', thread: true, auto_archive: 1e9 },
    /^`auto_archive` is one of 60, 1440, 4320, 10080 minutes\.$/,
  ],
  [
    '/subscribe webhook_name',
    { topic: 'energy', webhook_name: z(80) },
    /^The webhook identity: the name must be 1 to 80 characters \(it is \d+\)\.$/,
  ],
  [
    '/subscribe avatar_url',
    { topic: 'energy', avatar_url: `https://example.org/${z(L.url)}` },
    longer('The avatar URL', L.url),
  ],
  [
    '/subscribe card_template',
    { topic: 'energy', card_template: z(CARD_TEMPLATE_MAX) },
    longer('The card template', CARD_TEMPLATE_MAX),
  ],
  ['/topic test topic', { topic: z(L.topicRef) }, unknownTopic],
  ['/topic test query', { query: z(L.query) }, longer('The query', L.query)],
  ['/topic test since', { query: 'gas', since: z(L.since) }, longer('since', L.since)],
  ['/feed add url', { url: `https://example.org/${z(L.url)}` }, longer('The URL', L.url)],
  [
    '/feed add name',
    { url: 'https://example.org/feed', name: z(L.feedName) },
    longer('The name', L.feedName),
  ],
  [
    '/feed remove feed',
    { feed: z(L.feedId) },
    /^This server has no feed `z{64}`; `\/feed list` shows them\.$/,
  ],
];

describe('slash-command inputs', () => {
  it('declare a length limit (or fixed choices) on every string and a range on every number', () => {
    const options = allOptions();
    expect(options.length).toBeGreaterThan(20);
    for (const [path, o] of options) {
      if (o.type === T.String) {
        if (o.choices) continue;
        expect(o.max_length, `${path} has no max_length`).toBeGreaterThanOrEqual(1);
        expect(o.max_length, `${path} allows too much`).toBeLessThanOrEqual(1000);
      }
      if (o.type === T.Integer || o.type === T.Number) {
        expect(o.min_value, `${path} has no min_value`).toBeTypeOf('number');
        expect(o.max_value, `${path} has no max_value`).toBeTypeOf('number');
      }
    }
  });

  it('every bounded option is in the table below', () => {
    const bounded = allOptions()
      .filter(([, o]) => [T.String, T.Integer, T.Number].includes(o.type))
      .map(([path]) => path);
    expect(outOfBounds.map(([path]) => path).sort()).toEqual(bounded.sort());
  });

  describe('sent past their limits, as only a forged request could', () => {
    let bot: BotHarness;
    beforeAll(async () => {
      bot = await BotHarness.start();
      await bot.reply({
        name: 'topic',
        subcommand: 'add',
        options: { id: 'mine', name: 'Mine', query: 'gas' },
      });
    });
    afterAll(() => bot.close());

    it.each(outOfBounds)(
      '%s is refused, without the value echoed back whole',
      async (path, options, answer) => {
        const [name, ...rest] = path.slice(1).split(' ');
        const subcommand = rest.length > 1 ? rest[0] : undefined;
        const reply = await bot.reply({ name: name!, subcommand, options });
        expect(reply.content).toMatch(answer);
        const oversized = Object.values(options).find(
          (v) => typeof v === 'string' && v.length > 64,
        );
        if (typeof oversized === 'string') expect(reply.content).not.toContain(oversized);
      },
    );
  });
});
