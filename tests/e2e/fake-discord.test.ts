import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  REST,
  Routes,
} from 'discord.js';
import type { Interaction, TextChannel } from 'discord.js';
import { ChannelType, GatewayOpcodes, InteractionResponseType } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakeDiscord } from '../support/fake-discord';
import type { FakeDiscord, FakeDiscordOptions } from '../support/fake-discord';

const GUILD = '300000000000000001';
const NEWS = '300000000000000010';
const OTHER = '300000000000000011';

const guilds: FakeDiscordOptions['guilds'] = [
  {
    id: GUILD,
    name: 'Briefing Test Guild',
    systemChannelId: NEWS,
    channels: [
      { id: NEWS, name: 'news', type: ChannelType.GuildText },
      { id: OTHER, name: 'other', type: ChannelType.GuildText },
    ],
  },
];

/** A clock the test moves by hand, so the 3 s interaction deadline needs no waiting. */
function manualClock() {
  let now = Date.parse('2025-03-01T12:00:00Z');
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const running: { fake?: FakeDiscord; client?: Client } = {};

afterEach(async () => {
  await running.client?.destroy();
  await running.fake?.close();
  running.client = undefined;
  running.fake = undefined;
});

async function startFake(options: Partial<FakeDiscordOptions> = {}): Promise<FakeDiscord> {
  running.fake = await startFakeDiscord({ guilds, ...options });
  return running.fake;
}

/** A fake plus a real discord.js client logged in to it and ready. */
async function startBot(options: Partial<FakeDiscordOptions> = {}) {
  const fake = await startFake(options);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: fake.apiUrl, offset: 0 },
  });
  running.client = client;
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.token);
  await ready;
  const channel = client.channels.cache.get(NEWS) as TextChannel;
  return { fake, client, channel };
}

function restFor(fake: FakeDiscord, token = fake.token): REST {
  return new REST({ api: fake.apiUrl, offset: 0 }).setToken(token);
}

/**
 * Runs `handler` on the next interaction; resolves with what it threw (or undefined), because
 * discord.js would otherwise swallow the error inside its event emitter.
 */
function handleNext(
  client: Client,
  handler: (i: Interaction) => Promise<unknown>,
): Promise<unknown> {
  return new Promise((resolve) => {
    client.once(
      Events.InteractionCreate,
      (i) => void handler(i).then(() => resolve(undefined), resolve),
    );
  });
}

/** The node of a 50035 error tree at `path` (e.g. ['embeds', '0', 'title']). */
function errorAt(error: unknown, path: string[]): unknown {
  if (!(error instanceof DiscordAPIError) || !('errors' in error.rawError)) return undefined;
  return path.reduce<unknown>(
    (at, key) => (at as Record<string, unknown> | undefined)?.[key],
    error.rawError.errors,
  );
}

describe('fake Discord with the real discord.js client', () => {
  it('the client logs in, becomes ready and sees the guild with its channels', async () => {
    const { fake, client } = await startBot();
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.name).toBe('Briefing Test Guild');
    expect(guild?.channels.cache.map((c) => c.name).sort()).toEqual(['news', 'other']);
    expect(client.user?.id).toBe(fake.botUserId);
    expect(fake.gateway.received.filter((p) => p.op === GatewayOpcodes.Identify)).toHaveLength(1);
    expect(fake.unknownRoutes).toEqual([]);
  });

  it('records a message sent with channel.send with its full body', async () => {
    const { fake, channel } = await startBot();
    const sent = await channel.send({
      content: 'Morning briefing',
      embeds: [{ title: 'Item', description: 'Text' }],
      allowedMentions: { parse: [] },
    });
    const [posted] = await fake.waitForMessages(NEWS, 1);
    expect(posted?.id).toBe(sent.id);
    expect(posted?.body).toMatchObject({
      content: 'Morning briefing',
      embeds: [{ title: 'Item', description: 'Text' }],
      allowed_mentions: { parse: [] },
    });
  });

  it('records the file names and JSON of a multipart upload', async () => {
    const { fake, channel } = await startBot();
    await channel.send({
      content: 'with a file',
      files: [{ attachment: Buffer.from('hello'), name: 'digest.txt' }],
    });
    const [posted] = fake.messages(NEWS);
    expect(posted?.files).toEqual(['digest.txt']);
    expect(posted?.body.content).toBe('with a file');
  });

  it('rejects an over-long embed sent by the client with a DiscordAPIError 50035', async () => {
    const { fake, channel } = await startBot();
    const error = await channel
      .send({ embeds: [{ description: 'x'.repeat(4097) }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50035 });
    expect(errorAt(error, ['embeds', '0', 'description'])).toHaveProperty('_errors');
    expect(fake.messages(NEWS)).toHaveLength(0);
  });

  it.each([
    { failure: '429 on the route', rule: { status: 429, retryAfter: 0.05 }, statuses: [429, 200] },
    {
      failure: 'global 429',
      rule: { status: 429, retryAfter: 0.05, global: true },
      statuses: [429, 200],
    },
    { failure: '500', rule: { status: 500 }, statuses: [500, 200] },
  ])(
    'a $failure on the first post is retried by discord.js and posts exactly once',
    async ({ rule, statuses }) => {
      const { fake, channel } = await startBot();
      fake.failNext({ route: 'POST /channels/:channelId/messages', ...rule });
      await channel.send('after a hiccup');
      expect(fake.messages(NEWS)).toHaveLength(1);
      expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual(
        statuses,
      );
    },
  );

  it.each([
    { enforceNonce: true, expected: 1 },
    { enforceNonce: false, expected: 2 },
  ])(
    'posting twice with the same nonce (enforce_nonce $enforceNonce) creates $expected message(s)',
    async ({ enforceNonce, expected }) => {
      const { fake, channel } = await startBot();
      const first = await channel.send({ content: 'once', nonce: 'delivery-42', enforceNonce });
      const second = await channel.send({ content: 'once', nonce: 'delivery-42', enforceNonce });
      expect(fake.messages(NEWS)).toHaveLength(expected);
      expect(second.id === first.id).toBe(expected === 1);
    },
  );

  it('rejects posts to a forbidden channel with 50001 until it is cleared', async () => {
    const { fake, channel } = await startBot();
    fake.setChannelForbidden(NEWS, true);
    await expect(channel.send('hidden')).rejects.toMatchObject({ status: 403, code: 50001 });
    fake.setChannelForbidden(NEWS, false);
    await channel.send('visible');
    expect(fake.messages(NEWS).map((m) => m.body.content)).toEqual(['visible']);
  });

  it('answers a chat command that defers and then edits its reply', async () => {
    const { fake, client } = await startBot();
    const outcome = handleNext(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply(
        `Briefing for ${i.options.getString('topic', true)} (${i.options.getInteger('days') ?? 1} days)`,
      );
    });
    const handle = await fake.interact.command({
      guildId: GUILD,
      channelId: NEWS,
      userId: '400000000000000001',
      name: 'briefing',
      options: { topic: 'energy', days: 3 },
    });
    expect((await handle.waitForResponse()).type).toBe(
      InteractionResponseType.DeferredChannelMessageWithSource,
    );
    expect((await handle.waitForEdit()).content).toBe('Briefing for energy (3 days)');
    expect(handle.final()?.content).toBe('Briefing for energy (3 days)');
    expect(handle.final()?.flags ?? 0).toBe(0);
    expect(await outcome).toBeUndefined();
  });

  it('types option values from the registered command, inside a subcommand', async () => {
    const { fake, client } = await startBot();
    const sub = {
      type: 1,
      name: 'show',
      description: 'Show',
      options: [{ type: 10, name: 'score', description: 'Minimum score' }],
    };
    await client.application!.commands.set(
      [{ name: 'topics', description: 'Topics', options: [sub] }],
      GUILD,
    );
    const outcome = handleNext(client, async (i) => {
      if (i.isChatInputCommand())
        await i.reply(`${i.options.getSubcommand()} ${i.options.getNumber('score', true)}`);
    });
    const handle = await fake.interact.command({
      guildId: GUILD,
      channelId: NEWS,
      name: 'topics',
      subcommand: 'show',
      options: { score: 3 },
    });
    await handle.waitForResponse();
    expect(handle.final()?.content).toBe('show 3');
    expect(handle.payload.data.id).toBe(fake.commands(GUILD)[0]?.id);
    expect(await outcome).toBeUndefined();
  });

  it('turns the first follow-up after a deferral into the reply itself', async () => {
    const { fake, client } = await startBot();
    const outcome = handleNext(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.followUp('done');
    });
    const handle = await fake.interact.command({
      guildId: GUILD,
      channelId: NEWS,
      name: 'briefing',
    });
    const [followUp] = await handle.waitForFollowUps(1);
    expect(followUp?.message.id).toBe(handle.final()?.id);
    expect(handle.final()?.content).toBe('done');
    expect(await outcome).toBeUndefined();
  });

  it('completes an autocomplete round trip with the focused option value', async () => {
    const { fake, client } = await startBot();
    const outcome = handleNext(client, async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      await i.respond(
        ['energy', 'elections', 'economy']
          .filter((t) => t.startsWith(typed))
          .map((t) => ({ name: t, value: t })),
      );
    });
    const choices = await fake.interact.autocomplete({
      guildId: GUILD,
      channelId: NEWS,
      name: 'briefing',
      options: { topic: 'e' },
      focused: 'topic',
    });
    expect(choices.map((c) => c.value)).toEqual(['energy', 'elections', 'economy']);
    expect(await outcome).toBeUndefined();
  });

  it('refuses an autocomplete answer with more than 25 choices', async () => {
    const { fake, client } = await startBot();
    const outcome = handleNext(client, async (i) => {
      if (i.isAutocomplete())
        await i.respond(Array.from({ length: 26 }, (_, n) => ({ name: `t${n}`, value: `t${n}` })));
    });
    await expect(
      fake.interact.autocomplete({
        guildId: GUILD,
        channelId: NEWS,
        name: 'briefing',
        options: { topic: '' },
        focused: 'topic',
      }),
    ).rejects.toThrow(/50035/);
    expect(await outcome).toMatchObject({ code: 50035 });
  });

  it('answers a button click on a posted message with an update', async () => {
    const { fake, client, channel } = await startBot();
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('more').setLabel('More').setStyle(ButtonStyle.Primary),
    );
    await channel.send({ content: 'Item', components: [row] });
    const outcome = handleNext(client, async (i) => {
      if (i.isButton()) await i.update({ content: `expanded by ${i.customId}`, components: [] });
    });
    const [posted] = fake.messages(NEWS);
    const handle = await fake.interact.button({ message: posted!.message, customId: 'more' });
    expect((await handle.waitForResponse()).type).toBe(InteractionResponseType.UpdateMessage);
    expect(handle.final()).toMatchObject({
      id: posted!.id,
      content: 'expanded by more',
      components: [],
    });
    expect(await outcome).toBeUndefined();
  });

  it('refuses a first response later than 3 seconds with Unknown interaction (10062)', async () => {
    const clock = manualClock();
    const { fake, client } = await startBot({ now: clock.now });
    const outcome = handleNext(client, async (i) => {
      clock.advance(3001);
      if (i.isChatInputCommand()) await i.deferReply();
    });
    const handle = await fake.interact.command({
      guildId: GUILD,
      channelId: NEWS,
      name: 'briefing',
    });
    await expect(handle.waitForResponse()).rejects.toThrow(/10062/);
    expect(await outcome).toMatchObject({ status: 404, code: 10062 });
  });

  it('refuses an edit after the 15-minute interaction token has expired', async () => {
    const clock = manualClock();
    const { fake, client } = await startBot({ now: clock.now });
    const outcome = handleNext(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      clock.advance(15 * 60_000 + 1);
      await i.editReply('too late');
    });
    const handle = await fake.interact.command({
      guildId: GUILD,
      channelId: NEWS,
      name: 'briefing',
    });
    expect(await outcome).toMatchObject({ status: 401, code: 50027 });
    expect(handle.edits()).toEqual([]);
  });

  it.each([4000, 1006])(
    'resumes after the gateway drops with code %i and replays the missed interaction',
    async (code) => {
      const { fake, client, channel } = await startBot();
      const resumed = new Promise<void>((resolve) =>
        client.once(Events.ShardResume, () => resolve()),
      );
      const outcome = handleNext(client, async (i) => {
        if (i.isChatInputCommand()) await i.reply('still here');
      });
      fake.dropGateway(code);
      const handle = await fake.interact.command({
        guildId: GUILD,
        channelId: NEWS,
        name: 'briefing',
      });
      // The interaction was dispatched while the client was away: only the replay can deliver it.
      const [resume] = await fake.gateway.waitForOp(GatewayOpcodes.Resume);
      expect(resume?.d).toMatchObject({ token: fake.token, seq: 2 });
      await resumed;
      expect((await handle.waitForResponse()).type).toBe(
        InteractionResponseType.ChannelMessageWithSource,
      );
      expect(await outcome).toBeUndefined();
      expect(fake.gateway.received.filter((p) => p.op === GatewayOpcodes.Identify)).toHaveLength(1);
      await channel.send('after resume');
      expect(fake.messages(NEWS)).toHaveLength(1);
    },
  );

  it('acknowledges heartbeats so the client never treats the connection as a zombie', async () => {
    // discord.js checks for the previous ACK before each heartbeat, so the second one proves the first was acknowledged.
    // The interval leaves room for a busy event loop between a heartbeat and its ACK.
    const { fake } = await startBot({ heartbeatIntervalMs: 200 });
    await fake.gateway.waitForOp(GatewayOpcodes.Heartbeat, 2);
    expect(
      fake.gateway.received.filter(
        (p) => p.op === GatewayOpcodes.Resume || p.op === GatewayOpcodes.Identify,
      ),
    ).toHaveLength(1);
  });
});

describe('fake Discord rules over plain REST', () => {
  const long = (n: number) => 'x'.repeat(n);

  it.each([
    { rule: 'content over 2000', body: { content: long(2001) }, path: ['content'] },
    {
      rule: 'more than 10 embeds',
      body: { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) },
      path: ['embeds'],
    },
    {
      rule: 'title over 256',
      body: { embeds: [{ title: long(257) }] },
      path: ['embeds', '0', 'title'],
    },
    {
      rule: 'description over 4096',
      body: { embeds: [{ description: long(4097) }] },
      path: ['embeds', '0', 'description'],
    },
    {
      rule: 'more than 25 fields',
      body: { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] },
      path: ['embeds', '0', 'fields'],
    },
    {
      rule: 'field name over 256',
      body: { embeds: [{ fields: [{ name: long(257), value: 'v' }] }] },
      path: ['embeds', '0', 'fields', '0', 'name'],
    },
    {
      rule: 'field value over 1024',
      body: { embeds: [{ fields: [{ name: 'n', value: long(1025) }] }] },
      path: ['embeds', '0', 'fields', '0', 'value'],
    },
    {
      rule: 'footer text over 2048',
      body: { embeds: [{ footer: { text: long(2049) } }] },
      path: ['embeds', '0', 'footer', 'text'],
    },
    {
      rule: 'author name over 256',
      body: { embeds: [{ author: { name: long(257) } }] },
      path: ['embeds', '0', 'author', 'name'],
    },
    {
      rule: 'embed text over 6000 in total',
      body: { embeds: [{ description: long(4000) }, { description: long(2001) }] },
      path: ['embeds'],
    },
  ])('rejects a message with $rule with 50035 naming the field', async ({ body, path }) => {
    const fake = await startFake();
    const error = await restFor(fake)
      .post(Routes.channelMessages(NEWS), { body })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect(errorAt(error, path)).toHaveProperty('_errors');
    expect(fake.messages(NEWS)).toHaveLength(0);
  });

  it('accepts a message exactly at every limit', async () => {
    const fake = await startFake();
    const embed = {
      title: long(256),
      description: long(1000),
      fields: [{ name: long(256), value: long(1024) }],
      footer: { text: long(2048) },
      author: { name: long(256) },
    };
    await restFor(fake).post(Routes.channelMessages(NEWS), {
      body: { content: long(2000), embeds: [embed] },
    });
    expect(fake.messages(NEWS)).toHaveLength(1);
  });

  it('rejects an empty message with 50006', async () => {
    const fake = await startFake();
    await expect(
      restFor(fake).post(Routes.channelMessages(NEWS), { body: {} }),
    ).rejects.toMatchObject({ code: 50006 });
  });

  it('refuses a second acknowledgement with 40060', async () => {
    const fake = await startFake();
    await startClientlessSession(fake);
    const handle = await fake.interact.command({
      guildId: GUILD,
      channelId: NEWS,
      name: 'briefing',
    });
    const rest = restFor(fake);
    const callback = () =>
      rest.post(Routes.interactionCallback(handle.id, handle.token), {
        body: { type: 5 },
        auth: false,
      });
    await callback();
    await expect(callback()).rejects.toMatchObject({ status: 400, code: 40060 });
    expect(handle.rejections()).toMatchObject([{ code: 40060 }]);
  });

  it.each([
    {
      rule: 'an uppercase name',
      command: { name: 'Briefing', description: 'd' },
      path: ['0', 'name'],
    },
    {
      rule: 'a name with a space',
      command: { name: 'my briefing', description: 'd' },
      path: ['0', 'name'],
    },
    {
      rule: 'a name over 32 characters',
      command: { name: long(33), description: 'd' },
      path: ['0', 'name'],
    },
    {
      rule: 'an empty description',
      command: { name: 'briefing', description: '' },
      path: ['0', 'description'],
    },
    {
      rule: 'a description over 100',
      command: { name: 'briefing', description: long(101) },
      path: ['0', 'description'],
    },
    {
      rule: 'more than 25 options',
      command: {
        name: 'b',
        description: 'd',
        options: Array.from({ length: 26 }, (_, n) => ({
          type: 3,
          name: `o${n}`,
          description: 'd',
        })),
      },
      path: ['0', 'options'],
    },
    {
      rule: 'more than 25 choices',
      command: {
        name: 'b',
        description: 'd',
        options: [
          {
            type: 3,
            name: 'o',
            description: 'd',
            choices: Array.from({ length: 26 }, (_, n) => ({ name: `c${n}`, value: `c${n}` })),
          },
        ],
      },
      path: ['0', 'options', '0', 'choices'],
    },
    {
      rule: 'a required option after an optional one',
      command: {
        name: 'b',
        description: 'd',
        options: [
          { type: 3, name: 'a', description: 'd' },
          { type: 3, name: 'b', description: 'd', required: true },
        ],
      },
      path: ['0', 'options', '1', 'required'],
    },
    {
      rule: 'over 8000 characters in total',
      command: {
        name: 'b',
        description: 'd',
        options: Array.from({ length: 25 }, (_, n) => ({
          type: 3,
          name: `o${n}`,
          description: long(100),
          choices: Array.from({ length: 25 }, (_, c) => ({
            name: `${long(90)}${c}`,
            value: `v${c}`,
          })),
        })),
      },
      path: ['0'],
    },
  ])('refuses to register a command with $rule', async ({ command, path }) => {
    const fake = await startFake();
    const error = await restFor(fake)
      .put(Routes.applicationCommands(fake.applicationId), { body: [command] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect(errorAt(error, path)).toHaveProperty('_errors');
    expect(fake.commands()).toEqual([]);
  });

  it('registers valid commands globally and per guild, keeping ids on overwrite', async () => {
    const fake = await startFake();
    const rest = restFor(fake);
    const body = [
      {
        name: 'briefing',
        description: 'Recent items',
        options: [{ type: 3, name: 'topic', description: 'Topic', autocomplete: true }],
      },
    ];
    const [first] = (await rest.put(Routes.applicationCommands(fake.applicationId), { body })) as {
      id: string;
    }[];
    const [again] = (await rest.put(Routes.applicationCommands(fake.applicationId), { body })) as {
      id: string;
    }[];
    await rest.put(Routes.applicationGuildCommands(fake.applicationId, GUILD), {
      body: [{ name: 'topics', description: 'Manage topics' }],
    });
    expect(again?.id).toBe(first?.id);
    expect(fake.commands().map((c) => c.name)).toEqual(['briefing']);
    expect(fake.commands(GUILD).map((c) => c.name)).toEqual(['topics']);
  });

  it('answers 401 to a wrong token and 404 to an unknown route, recording the latter', async () => {
    const fake = await startFake();
    await expect(restFor(fake, 'wrong').get(Routes.user('@me'))).rejects.toMatchObject({
      status: 401,
    });
    await expect(restFor(fake).get('/stickers/1' as `/${string}`)).rejects.toMatchObject({
      status: 404,
      code: 0,
    });
    expect(fake.unknownRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /stickers/1']);
  });
});

/**
 * Interactions need a gateway session to be dispatched into; a bare WebSocket that identifies is
 * enough when the test answers over REST itself.
 */
async function startClientlessSession(fake: FakeDiscord): Promise<void> {
  const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
  await new Promise((resolve) => ws.once('message', resolve));
  ws.send(
    JSON.stringify({
      op: GatewayOpcodes.Identify,
      d: { token: fake.token, intents: 1, properties: {} },
    }),
  );
  await fake.gateway.waitForOp(GatewayOpcodes.Identify);
  await new Promise((resolve) => ws.once('message', resolve));
}
