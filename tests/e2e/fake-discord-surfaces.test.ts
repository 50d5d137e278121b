import { DiscordAPIError, RateLimitError, Routes, makeURLSearchParams } from 'discord.js';
import type { REST } from 'discord.js';
import type {
  APIMessage,
  APIThreadChannel,
  APIWebhook,
  RESTPatchAPIChannelJSONBody,
} from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../support/fake-discord';
import type { FakeDiscord } from '../support/fake-discord';
import {
  ANNOUNCE,
  FORUM,
  LOCKED_FORUM,
  LOCKED_TEXT,
  MUTED_THREADS,
  SURFACE_GUILDS,
  TEXT,
  surfaceRest,
} from '../support/surface-guild';

const HOUR = 3_600_000;
let now = Date.parse('2026-03-01T09:00:00Z');
let fake: FakeDiscord | undefined;
let rest: REST;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start() {
  now = Date.parse('2026-03-01T09:00:00Z');
  fake = await startFakeDiscord({ guilds: SURFACE_GUILDS, now: () => now });
  rest = surfaceRest(fake);
  return fake;
}

/** The Discord error a call ends in (it must fail). */
async function refusal(call: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DiscordAPIError))
    throw new Error(`expected a DiscordAPIError, got ${error}`);
  return error;
}

/** The `_errors` codes of a 50035 answer at `path`. */
function formCodes(error: DiscordAPIError, path: (string | number)[]): string[] {
  const raw = error.rawError as { errors?: Record<string, unknown> };
  const node = path.reduce<unknown>(
    (at, key) => (at as Record<string, unknown> | undefined)?.[String(key)],
    raw.errors,
  ) as { _errors?: { code: string }[] } | undefined;
  return (node?._errors ?? []).map((e) => e.code);
}

const post = (channelId: string, content: string) =>
  rest.post(Routes.channelMessages(channelId), { body: { content } }) as Promise<APIMessage>;

describe('forum channels and their tags', () => {
  it('a forum post is a thread with its starter message and the tags it was given', async () => {
    const f = await start();
    const [energy] = f.forumTags(FORUM);
    const thread = (await rest.post(Routes.threads(FORUM), {
      body: {
        name: 'Pipeline deal signed',
        applied_tags: [energy!.id],
        message: { embeds: [{ title: 'Pipeline deal signed' }] },
      },
    })) as APIThreadChannel & { message: APIMessage };
    expect(thread.parent_id).toBe(FORUM);
    expect(thread.applied_tags).toEqual([energy!.id]);
    expect(thread.message.id).toBe(thread.id);
    expect(f.messages(thread.id).map((m) => m.body.embeds?.[0]?.title)).toEqual([
      'Pipeline deal signed',
    ]);
    expect(f.threads(FORUM).map((t) => t.name)).toEqual(['Pipeline deal signed']);
  });

  it.each([
    ['more than 5 tags', { applied_tags: ['1', '2', '3', '4', '5', '6'] }, ['applied_tags']],
    ['a tag the forum does not have', { applied_tags: ['999'] }, ['applied_tags', 0]],
    ['no starter message', { message: undefined }, ['message']],
    ['an empty name', { name: '' }, ['name']],
  ])('a forum post with %s is refused with 50035', async (_, change, path) => {
    await start();
    const error = await refusal(
      rest.post(Routes.threads(FORUM), {
        body: { name: 'Story', message: { content: 'x' }, ...change },
      }),
    );
    expect(error.code).toBe(50035);
    expect(formCodes(error, path)).not.toEqual([]);
  });

  it('a forum takes no plain messages, and a post needs Send Messages', async () => {
    await start();
    expect((await refusal(post(FORUM, 'hello'))).code).toBe(50008);
    const error = await refusal(
      rest.post(Routes.threads(TEXT), { body: { name: 'x', message: { content: 'x' } } }),
    );
    expect(error.code).toBe(50024);
  });

  it('tags are edited with Manage Channels: at most 20, names 1–20 characters, unique', async () => {
    const f = await start();
    const edit = (channelId: string, names: string[]) =>
      rest.patch(Routes.channel(channelId), {
        body: {
          available_tags: names.map((name) => ({ name })),
        } as RESTPatchAPIChannelJSONBody,
      });
    const kept = f.forumTags(FORUM)[0]!;
    await rest.patch(Routes.channel(FORUM), {
      body: { available_tags: [{ id: kept.id, name: kept.name }, { name: 'Security' }] },
    });
    expect(f.forumTags(FORUM).map((t) => [t.name, t.id === kept.id])).toEqual([
      ['Energy', true],
      ['Security', false],
    ]);
    const many = Array.from({ length: 21 }, (_, i) => `tag ${i}`);
    expect(formCodes(await refusal(edit(FORUM, many)), ['available_tags'])).toEqual([
      'BASE_TYPE_MAX_LENGTH',
    ]);
    expect(
      formCodes(await refusal(edit(FORUM, ['a name that is too long'])), [
        'available_tags',
        0,
        'name',
      ]),
    ).toEqual(['BASE_TYPE_BAD_LENGTH']);
    expect((await refusal(edit(FORUM, ['Energy', 'energy']))).code).toBe(40061);
    const locked = await refusal(edit(LOCKED_FORUM, ['Energy']));
    expect([locked.status, locked.code]).toEqual([403, 50013]);
  });
});

describe('threads on messages', () => {
  it('a thread opened on a message takes its id, once, with a valid auto-archive duration', async () => {
    const f = await start();
    const message = await post(TEXT, 'Briefing');
    const open = (minutes: number) =>
      rest.post(Routes.threads(TEXT, message.id), {
        body: { name: 'Discuss', auto_archive_duration: minutes },
      }) as Promise<APIThreadChannel>;
    expect(formCodes(await refusal(open(90)), ['auto_archive_duration'])).toEqual([
      'BASE_TYPE_CHOICES',
    ]);
    const thread = await open(1440);
    expect(thread.id).toBe(message.id);
    expect(thread.thread_metadata?.auto_archive_duration).toBe(1440);
    expect((await refusal(open(60))).code).toBe(160004);
    await post(thread.id, 'first reply');
    expect(f.messages(thread.id)).toHaveLength(1);
  });

  it('opening a thread needs Create Public Threads; posting in one, Send Messages in Threads', async () => {
    const f = await start();
    const message = await post(LOCKED_TEXT, 'Briefing');
    const error = await refusal(
      rest.post(Routes.threads(LOCKED_TEXT, message.id), { body: { name: 'Discuss' } }),
    );
    expect([error.status, error.code]).toEqual([403, 50013]);
    expect(f.threads(LOCKED_TEXT)).toEqual([]);

    const briefing = await post(MUTED_THREADS, 'Briefing');
    await rest.post(Routes.threads(MUTED_THREADS, briefing.id), { body: { name: 'Discuss' } });
    const muted = await refusal(post(briefing.id, 'a reply'));
    expect([muted.status, muted.code]).toEqual([403, 50013]);
  });
});

describe('announcement channels and crossposting', () => {
  it('publishes a message once, and only in an announcement channel', async () => {
    const f = await start();
    const message = await post(ANNOUNCE, 'News');
    const published = (await rest.post(
      Routes.channelMessageCrosspost(ANNOUNCE, message.id),
    )) as APIMessage;
    expect(published.flags! & 1).toBe(1);
    expect(f.isCrossposted(message.id)).toBe(true);
    expect(
      (await refusal(rest.post(Routes.channelMessageCrosspost(ANNOUNCE, message.id)))).code,
    ).toBe(40033);
    const plain = await post(TEXT, 'News');
    expect((await refusal(rest.post(Routes.channelMessageCrosspost(TEXT, plain.id)))).code).toBe(
      50024,
    );
  });

  it('the 11th crosspost in an hour is a 429 on a shared bucket of 10, lifted an hour after the first', async () => {
    await start();
    const ids: string[] = [];
    for (let i = 0; i < 11; i += 1) ids.push((await post(ANNOUNCE, `News ${i}`)).id);
    for (const id of ids.slice(0, 10)) {
      await rest.post(Routes.channelMessageCrosspost(ANNOUNCE, id));
      now += 60_000;
    }
    const limited = await rest.post(Routes.channelMessageCrosspost(ANNOUNCE, ids[10]!)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(limited).toBeInstanceOf(RateLimitError);
    const rate = limited as RateLimitError;
    expect([rate.limit, rate.scope, rate.global]).toEqual([10, 'shared', false]);
    // The first crosspost was 10 minutes ago, so the window frees up in 50.
    expect(rate.retryAfter).toBe(50 * 60_000);

    now += HOUR;
    const fresh = surfaceRest(fake!); // a client that has not remembered the 429
    await expect(
      fresh.post(Routes.channelMessageCrosspost(ANNOUNCE, ids[10]!)),
    ).resolves.toBeTruthy();
  });

  it("crossposting someone else's message needs Manage Messages", async () => {
    await start();
    const hook = (await rest.post(Routes.channelWebhooks(ANNOUNCE), {
      body: { name: 'Wire desk' },
    })) as APIWebhook;
    const message = (await rest.post(Routes.webhook(hook.id, hook.token), {
      body: { content: 'From the desk' },
      query: makeURLSearchParams({ wait: true }),
      auth: false,
    })) as APIMessage;
    const error = await refusal(rest.post(Routes.channelMessageCrosspost(ANNOUNCE, message.id)));
    expect([error.status, error.code]).toEqual([403, 50013]);
  });
});

describe('webhooks', () => {
  it.each([
    ['Discord News', 'USERNAME_INVALID_CONTAINS'],
    ['the clyde wire', 'USERNAME_INVALID_CONTAINS'],
    ['', 'BASE_TYPE_BAD_LENGTH'],
    ['x'.repeat(81), 'BASE_TYPE_BAD_LENGTH'],
  ])('a webhook named %j is refused with %s', async (name, code) => {
    await start();
    const error = await refusal(rest.post(Routes.channelWebhooks(TEXT), { body: { name } }));
    expect(error.code).toBe(50035);
    expect(formCodes(error, ['name'])).toContain(code);
  });

  it('creating and listing webhooks needs Manage Webhooks', async () => {
    await start();
    for (const call of [
      rest.post(Routes.channelWebhooks(LOCKED_TEXT), { body: { name: 'Briefings' } }),
      rest.get(Routes.channelWebhooks(LOCKED_TEXT)),
    ]) {
      const error = await refusal(call);
      expect([error.status, error.code]).toEqual([403, 50013]);
    }
  });

  it('executes with wait=true under its own name and avatar, and refuses a wrong token', async () => {
    const f = await start();
    const hook = (await rest.post(Routes.channelWebhooks(TEXT), {
      body: { name: 'Briefings' },
    })) as APIWebhook;
    expect(await rest.get(Routes.channelWebhooks(TEXT))).toHaveLength(1);
    const message = (await rest.post(Routes.webhook(hook.id, hook.token), {
      body: {
        embeds: [{ title: 'Item' }],
        username: 'Energy desk',
        avatar_url: 'https://example.org/desk.png',
      },
      query: makeURLSearchParams({ wait: true }),
      auth: false,
    })) as APIMessage;
    expect(message.webhook_id).toBe(hook.id);
    expect(message.author.username).toBe('Energy desk');
    expect(f.messages(TEXT)[0]?.identity).toEqual({
      username: 'Energy desk',
      avatarUrl: 'https://example.org/desk.png',
    });
    const quiet = await rest.post(Routes.webhook(hook.id, hook.token), {
      body: { content: 'no wait' },
      auth: false,
    });
    expect((quiet as ArrayBuffer).byteLength).toBe(0);
    expect(f.messages(TEXT)).toHaveLength(2);
    const bad = await refusal(
      rest.post(Routes.webhook(hook.id, 'wrong-token'), { body: { content: 'x' }, auth: false }),
    );
    expect([bad.status, bad.code]).toEqual([401, 50027]);
    const named = await refusal(
      rest.post(Routes.webhook(hook.id, hook.token), {
        body: { content: 'x', username: 'Discord bot' },
        auth: false,
      }),
    );
    expect(formCodes(named, ['username'])).toEqual(['USERNAME_INVALID_CONTAINS']);
  });

  it('a webhook edits its own messages by its token, and nobody else’s', async () => {
    const f = await start();
    const [own, other] = await Promise.all(
      ['Briefings', 'Other desk'].map(
        async (name) =>
          (await rest.post(Routes.channelWebhooks(TEXT), { body: { name } })) as APIWebhook,
      ),
    );
    const execute = async (hook: APIWebhook) =>
      (await rest.post(Routes.webhook(hook.id, hook.token), {
        body: { content: `from ${hook.name}` },
        query: makeURLSearchParams({ wait: true }),
        auth: false,
      })) as APIMessage;
    const mine = await execute(own!);
    const theirs = await execute(other!);
    const bots = (await rest.post(Routes.channelMessages(TEXT), {
      body: { content: 'from the bot' },
    })) as APIMessage;
    const edit = (hook: APIWebhook, messageId: string, token = hook.token!) =>
      rest.patch(Routes.webhookMessage(hook.id, token, messageId), {
        body: { content: 'edited' },
        auth: false,
      });

    expect(((await edit(own!, mine.id)) as APIMessage).content).toBe('edited');
    expect(f.messages(TEXT)[0]!.message.content).toBe('edited');
    const codes = async (call: Promise<unknown>) => {
      const error = await refusal(call);
      return [error.status, error.code];
    };
    expect(await codes(edit(own!, mine.id, 'wrong-token'))).toEqual([401, 50027]);
    expect(await codes(edit(own!, theirs.id))).toEqual([404, 10008]);
    expect(await codes(edit(own!, bots.id))).toEqual([404, 10008]);
    // Nor may the bot edit the webhook's message as itself.
    expect(
      await codes(rest.patch(Routes.channelMessage(TEXT, mine.id), { body: { content: 'x' } })),
    ).toEqual([403, 50005]);
    // The bot deletes its own message, but a webhook's only with Manage Messages.
    expect(await codes(rest.delete(Routes.channelMessage(TEXT, mine.id)))).toEqual([403, 50013]);
    await rest.delete(Routes.channelMessage(TEXT, bots.id));
    expect(await codes(rest.delete(Routes.channelMessage(TEXT, bots.id)))).toEqual([404, 10008]);
    await rest.delete(Routes.webhook(own!.id));
    expect(await codes(edit(own!, mine.id))).toEqual([404, 10015]);
    expect(f.messages(TEXT)[1]!.message.content).toBe('from Other desk');
  });

  it('a forum webhook needs a thread_id or a thread_name, and starts a post with the latter', async () => {
    const f = await start();
    const hook = (await rest.post(Routes.channelWebhooks(FORUM), {
      body: { name: 'Briefings' },
    })) as APIWebhook;
    const execute = (query: Record<string, string>, body: Record<string, unknown>) =>
      rest.post(Routes.webhook(hook.id, hook.token), {
        body: { content: 'Story', ...body },
        query: makeURLSearchParams({ wait: true, ...query }),
        auth: false,
      }) as Promise<APIMessage>;
    expect((await refusal(execute({}, {}))).code).toBe(220001);
    const starter = await execute({}, { thread_name: 'Pipeline deal signed' });
    const [thread] = f.threads(FORUM);
    expect(thread).toMatchObject({ id: starter.id, name: 'Pipeline deal signed' });
    await execute({ thread_id: thread!.id }, { content: 'A later source' });
    expect(f.messages(thread!.id).map((m) => m.body.content)).toEqual(['Story', 'A later source']);
    const textHook = (await rest.post(Routes.channelWebhooks(TEXT), {
      body: { name: 'Briefings' },
    })) as APIWebhook;
    const error = await refusal(
      rest.post(Routes.webhook(textHook.id, textHook.token), {
        body: { content: 'x', thread_name: 'y' },
        auth: false,
      }),
    );
    expect(error.code).toBe(220003);
  });

  it('a file sent as multipart becomes an attachment of the message', async () => {
    const f = await start();
    const message = (await rest.post(Routes.channelMessages(TEXT), {
      body: { content: 'Feeds' },
      files: [{ name: 'feeds.opml', data: Buffer.from('<opml version="2.0"/>') }],
    })) as APIMessage;
    expect(message.attachments.map((a) => a.filename)).toEqual(['feeds.opml']);
    expect(f.messages(TEXT)[0]?.files).toEqual(['feeds.opml']);
  });
});
