import { inspect } from 'node:util';
import type { REST } from 'discord.js';
import type { Client } from 'discord.js';
import { Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscordMessage } from '../../../src/delivery/render-discord';
import { createDiscordClient } from '../../../src/discord/client';
import { type CrosspostQueue, createCrosspostQueue } from '../../../src/discord/crosspost-queue';
import {
  type CrosspostLanesRepo,
  createCrosspostLanesRepo,
} from '../../../src/store/crosspost-lanes';
import { findForumPost, postToForum } from '../../../src/discord/post-forum';
import { postMessage } from '../../../src/discord/post-message';
import { postWithThread } from '../../../src/discord/post-thread';
import { findWebhookPost, postWithIdentity } from '../../../src/discord/webhook-identity';
import { memoryLogger } from '../../../src/log';
import { type FakeDiscord, startFakeDiscord } from '../../support/fake-discord';
import { backends, type TestStore } from '../../support/stores';
import {
  ANNOUNCE,
  FORUM,
  LOCKED_FORUM,
  LOCKED_TEXT,
  SURFACE_GUILD,
  SURFACE_GUILDS,
  TEXT,
} from '../../support/surface-guild';

const HOUR = 3_600_000;
const sqliteBackend = backends.find((b) => b.name === 'sqlite')!;
let now = 0;
let fake: FakeDiscord;
let client: Client | undefined;
let rest: REST;

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake?.close();
});

/** The fake, and the REST client exactly as the bot configures it (no gateway needed). */
async function start() {
  now = Date.parse('2026-03-02T08:00:00Z');
  fake = await startFakeDiscord({ guilds: SURFACE_GUILDS, now: () => now });
  client = createDiscordClient({ token: fake.token, apiUrl: fake.apiUrl });
  rest = client.rest;
}

const briefing = (title: string): DiscordMessage => ({
  allowed_mentions: { parse: [] },
  embeds: [{ title, description: 'A summary of the story.' }],
});

describe('forum posts', () => {
  it("finds the bot's own post of a headline made since the briefing was queued, and no other", async () => {
    await start();
    const queuedAt = new Date(now).toISOString();
    now += 60_000;
    const made = await postToForum(rest, {
      forumId: FORUM,
      headline: 'Pipeline deal signed in Baku',
      topics: [],
      message: briefing('Pipeline deal signed in Baku'),
    });
    if (made.kind !== 'sent') throw new Error(made.kind);
    const lookFor = (over: Partial<Parameters<typeof findForumPost>[1]>) =>
      findForumPost(rest, {
        guildId: SURFACE_GUILD,
        forumId: FORUM,
        headline: 'Pipeline deal signed in Baku',
        ownerId: fake.botUserId,
        since: queuedAt,
        ...over,
      });
    expect(await lookFor({})).toBe(made.threadId);
    expect(await lookFor({ headline: 'Another story' })).toBeUndefined();
    expect(await lookFor({ forumId: LOCKED_FORUM })).toBeUndefined();
    expect(await lookFor({ ownerId: '100000000000000001' })).toBeUndefined();
    // Made long before this briefing was queued: another story's post of the same headline.
    expect(await lookFor({ since: new Date(now + HOUR).toISOString() })).toBeUndefined();
  });

  it('a briefing becomes a post titled with its headline, tagged with existing and new topic tags', async () => {
    await start();
    const result = await postToForum(rest, {
      forumId: FORUM,
      headline: 'Pipeline deal signed in Baku',
      topics: ['energy', 'Security'],
      message: briefing('Pipeline deal signed in Baku'),
    });
    expect(result).toMatchObject({ kind: 'sent', untagged: [] });
    const [post] = fake.threads(FORUM);
    const tags = fake.forumTags(FORUM);
    expect(tags.map((t) => t.name)).toEqual(['Energy', 'Water', 'Security']);
    expect(post).toMatchObject({ name: 'Pipeline deal signed in Baku' });
    expect(post!.appliedTags).toEqual([tags[0]!.id, tags[2]!.id]);
    expect(fake.messages(post!.id)[0]?.body.embeds?.[0]?.title).toBe(
      'Pipeline deal signed in Baku',
    );

    await postToForum(rest, {
      forumId: FORUM,
      headline: 'Second story',
      topics: ['Security'],
      message: briefing('Second story'),
    });
    expect(fake.forumTags(FORUM)).toHaveLength(3);
  });

  it('a forum that is full, or one where tags may not be added, still gets the post, untagged and said so', async () => {
    await start();
    await rest.patch(Routes.channel(FORUM), {
      body: { available_tags: Array.from({ length: 20 }, (_, i) => ({ name: `tag ${i}` })) },
    });
    const full = await postToForum(rest, {
      forumId: FORUM,
      headline: 'Story',
      topics: ['Energy'],
      message: briefing('Story'),
    });
    expect(full).toMatchObject({
      kind: 'sent',
      untagged: ['Energy'],
      note: expect.stringContaining('20 tags'),
    });

    const locked = await postToForum(rest, {
      forumId: LOCKED_FORUM,
      headline: 'Story',
      topics: ['Energy'],
      message: briefing('Story'),
    });
    expect(locked).toMatchObject({
      kind: 'sent',
      untagged: ['Energy'],
      note: expect.stringContaining('Manage Channels'),
    });
    expect(fake.threads(LOCKED_FORUM)).toHaveLength(1);
  });

  it('a forum that refuses posts pauses the surface with a reason naming the permission', async () => {
    await start();
    fake.failNext({ route: 'POST /channels/:id/threads', status: 403 });
    const result = await postToForum(rest, {
      forumId: FORUM,
      headline: 'Story',
      topics: [],
      message: briefing('Story'),
    });
    expect(result).toMatchObject({ kind: 'paused', surface: 'forum', channelId: FORUM });
    expect((result as { reason: string }).reason).toMatch(
      /^Forum posts in <#\d+>: paused, Discord refused \(Missing Permissions, 50013\)\. The bot needs Send Messages/,
    );
    expect(fake.threads(FORUM)).toEqual([]);
  });
});

describe('threads on briefings', () => {
  it('opens a thread named after the headline, and a retry after a crash opens no second one', async () => {
    await start();
    const input = {
      channelId: TEXT,
      message: briefing('River levels fall'),
      nonce: 'delivery-1',
      headline: 'River levels fall',
      autoArchiveMinutes: 1440 as const,
    };
    const first = await postWithThread(rest, input);
    expect(first).toMatchObject({ kind: 'sent', thread: { kind: 'opened' } });
    const again = await postWithThread(rest, input);
    expect(again).toEqual(first);
    expect(fake.messages(TEXT)).toHaveLength(1);
    expect(fake.threads(TEXT)).toMatchObject([
      { name: 'River levels fall', autoArchiveDuration: 1440 },
    ]);
  });

  it('without Create Public Threads the briefing is posted and the thread is paused with a reason', async () => {
    await start();
    const result = await postWithThread(rest, {
      channelId: LOCKED_TEXT,
      message: briefing('Story'),
      nonce: 'delivery-2',
      headline: 'Story',
    });
    expect(result).toMatchObject({ kind: 'sent', thread: { kind: 'paused', surface: 'thread' } });
    expect(JSON.stringify(result)).toContain('Create Public Threads');
    expect(fake.messages(LOCKED_TEXT)).toHaveLength(1);
  });
});

describe('crossposting in announcement channels', () => {
  /** A queue on the store (a real SQLite file), as the bot builds it after each start. */
  const queueOn = (lanes: CrosspostLanesRepo) =>
    createCrosspostQueue({ rest, lanes, clock: () => new Date(now), logger: memoryLogger() });
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });
  async function startWithStore() {
    await start();
    store = await sqliteBackend.open();
    return createCrosspostLanesRepo(store.kv);
  }
  async function postAndQueue(queue: CrosspostQueue, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const posted = await postMessage(rest, ANNOUNCE, briefing(`Story ${i}`), `n-${i}`);
      if (posted.kind !== 'sent') throw new Error(posted.reason);
      ids.push(posted.messageId);
      await queue.enqueue(ANNOUNCE, posted.messageId);
    }
    return ids;
  }

  it('publishes 10 an hour and queues the rest, never dropping one', async () => {
    const queue = queueOn(await startWithStore());
    const ids = await postAndQueue(queue, 12);
    const started = now;
    await queue.drain();
    expect(ids.map((id) => fake.isCrossposted(id))).toEqual([
      ...Array(10).fill(true),
      false,
      false,
    ]);
    expect(await queue.status(ANNOUNCE)).toEqual({ queued: 2, nextAt: new Date(started + HOUR) });
    expect(fake.requests.filter((r) => r.status === 429)).toEqual([]);

    now += 30 * 60_000;
    await queue.drain();
    expect((await queue.status(ANNOUNCE)).queued).toBe(2);
    now = started + HOUR;
    await queue.drain();
    expect(ids.every((id) => fake.isCrossposted(id))).toBe(true);
    expect(await queue.status(ANNOUNCE)).toEqual({ queued: 0 });
  });

  it("a restart keeps the queue and the hour's count: the next process publishes the rest, not early", async () => {
    const lanes = await startWithStore();
    const ids = await postAndQueue(queueOn(lanes), 12);
    await queueOn(lanes).drain();
    const started = now;

    // A new process on the same store file: nothing in memory carries over.
    await store!.kv.close();
    const reopened = createCrosspostLanesRepo(await store!.connect());
    const after = queueOn(reopened);
    expect(await after.status(ANNOUNCE)).toEqual({ queued: 2, nextAt: new Date(started + HOUR) });
    now += 10 * 60_000;
    await after.drain();
    // Its own count says the hour is used up: it does not ask Discord early (no 429).
    expect(fake.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(ids.slice(10).map((id) => fake.isCrossposted(id))).toEqual([false, false]);
    now = started + HOUR;
    await after.drain();
    expect(ids.every((id) => fake.isCrossposted(id))).toBe(true);
    expect(await after.status(ANNOUNCE)).toEqual({ queued: 0 });
  });

  it('a crash between the crosspost and its record publishes the message once, and counts it', async () => {
    const lanes = await startWithStore();
    const [id] = await postAndQueue(queueOn(lanes), 1);
    const crashing: CrosspostLanesRepo = {
      ...lanes,
      edit: () => Promise.reject(new Error('process killed before the record was written')),
    };
    await expect(queueOn(crashing).drain()).rejects.toThrow('process killed');
    expect(fake.isCrossposted(id!)).toBe(true);

    const restarted = queueOn(lanes);
    expect((await restarted.status(ANNOUNCE)).queued).toBe(1);
    await restarted.drain();
    // Discord said "already crossposted" (40033): it leaves the queue, counted in the hour.
    expect(fake.requests.filter((r) => r.path.endsWith('/crosspost')).map((r) => r.status)).toEqual(
      [200, 400],
    );
    expect(await restarted.status(ANNOUNCE)).toEqual({ queued: 0 });
    expect((await lanes.get(ANNOUNCE)).sent).toHaveLength(1);
  });

  it('a 429 Discord sends anyway holds the queue until its retry time, without holding other posts', async () => {
    const queue = queueOn(await startWithStore());
    const [id] = await postAndQueue(queue, 1);
    fake.failNext({
      route: 'POST /channels/:id/messages/:mid/crosspost',
      status: 429,
      retryAfter: 600,
    });
    await queue.drain();
    const held = await queue.status(ANNOUNCE);
    expect(held.queued).toBe(1);
    // discord.js adds its small safety offset to Discord's wait.
    expect(held.nextAt!.getTime() - now).toBeGreaterThanOrEqual(600_000);
    expect(held.nextAt!.getTime() - now).toBeLessThan(601_000);
    // The rest of the bot keeps posting meanwhile, and the queue does not ask again early.
    expect((await postMessage(rest, ANNOUNCE, briefing('Other'), 'n-other')).kind).toBe('sent');
    const crossposts = () => fake.requests.filter((r) => r.path.endsWith('/crosspost')).length;
    const asked = crossposts();
    now += 300_000;
    await queue.drain();
    expect(crossposts()).toBe(asked);
    expect(fake.isCrossposted(id!)).toBe(false);
  });

  it('a message it may not publish pauses the channel with a reason, keeps it queued, and tries again in an hour', async () => {
    const queue = queueOn(await startWithStore());
    fake.failNext({ route: 'POST /channels/:id/messages/:mid/crosspost', status: 403 });
    const [id] = await postAndQueue(queue, 1);
    await queue.drain();
    const status = await queue.status(ANNOUNCE);
    expect(status.queued).toBe(1);
    expect(status.paused?.reason).toMatch(/^Publishing to following servers in <#\d+>: paused/);
    now += HOUR;
    await queue.drain();
    expect(fake.isCrossposted(id!)).toBe(true);
    expect(await queue.status(ANNOUNCE)).toEqual({ queued: 0 });
  });
});

describe('posting under a webhook identity', () => {
  const identity = { username: 'Energy desk', avatarUrl: 'https://example.org/desk.png' };

  it('creates the channel webhook once, posts under the name and avatar, and keeps the token out of sight', async () => {
    await start();
    const input = {
      channelId: TEXT,
      applicationId: fake.applicationId,
      message: briefing('Story'),
      nonce: 'n-1',
      identity,
    };
    const first = await postWithIdentity(rest, input);
    expect(first.result.kind).toBe('sent');
    expect(first.fallback).toBeUndefined();
    const [hook] = fake.webhooks(TEXT);
    expect(first.webhook?.executeRoute()).toBe(`/webhooks/${hook!.id}/${hook!.token}`);
    expect(fake.messages(TEXT)[0]?.identity).toEqual({
      username: 'Energy desk',
      avatarUrl: 'https://example.org/desk.png',
    });
    for (const shown of [JSON.stringify(first), String(first.webhook), inspect(first)])
      expect(shown).not.toContain(hook!.token);

    // A fresh start without the stored webhook finds the bot's own instead of making another.
    const second = await postWithIdentity(rest, { ...input, nonce: 'n-2' });
    expect(second.webhook?.id).toBe(hook!.id);
    expect(fake.webhooks(TEXT)).toHaveLength(1);
  });

  it("finds the webhook's own message of a briefing made since it was queued, and no other", async () => {
    await start();
    const queuedAt = new Date(now).toISOString();
    now += 60_000;
    const base = { channelId: TEXT, applicationId: fake.applicationId, identity };
    const made = await postWithIdentity(rest, {
      ...base,
      message: briefing('Rail link opens'),
      nonce: 'n-1',
    });
    if (made.result.kind !== 'sent') throw new Error(made.result.kind);
    // The bot's own message of the same headline, and later chatter, are not the webhook's post.
    await postMessage(rest, TEXT, briefing('Rail link opens'), 'n-2');
    for (let i = 0; i < 5; i++) await postMessage(rest, TEXT, { content: `chat ${i}` }, `c-${i}`);
    const lookFor = (over: Partial<Parameters<typeof findWebhookPost>[1]>) =>
      findWebhookPost(rest, {
        channelId: TEXT,
        webhookId: made.webhook!.id,
        message: briefing('Rail link opens'),
        since: queuedAt,
        ...over,
      });
    expect(await lookFor({})).toBe(made.result.messageId);
    expect(await lookFor({ message: briefing('Another story') })).toBeUndefined();
    expect(await lookFor({ webhookId: '100000000000000001' })).toBeUndefined();
    // Made long before this briefing was queued: an earlier story's post of the same headline.
    expect(await lookFor({ since: new Date(now + HOUR).toISOString() })).toBeUndefined();
  });

  it('a send cut short is not posted again: the retry finds the message the webhook made', async () => {
    await start();
    const queuedAt = new Date(now).toISOString();
    const input = {
      channelId: TEXT,
      applicationId: fake.applicationId,
      message: briefing('Grain corridor reopens'),
      nonce: 'n-1',
      identity,
    };
    const first = await postWithIdentity(rest, input);
    if (first.result.kind !== 'sent') throw new Error(first.result.kind);
    // The process died before recording the post: the retry comes from a fresh start.
    const retry = await postWithIdentity(rest, { ...input, attempts: 1, cutShortSince: queuedAt });
    expect(retry.result).toEqual({ kind: 'sent', messageId: first.result.messageId });
    expect(fake.messages(TEXT)).toHaveLength(1);

    // A look-up Discord refuses (no Read Message History) posts again rather than not at all.
    fake.failNext({ route: `GET /channels/${TEXT}/messages`, status: 403 });
    const refused = await postWithIdentity(rest, {
      ...input,
      attempts: 1,
      cutShortSince: queuedAt,
    });
    expect(refused.result.kind).toBe('sent');
    expect(fake.messages(TEXT)).toHaveLength(2);
  });

  it('a webhook deleted by an admin is made again and the briefing still goes out', async () => {
    await start();
    const base = {
      channelId: TEXT,
      applicationId: fake.applicationId,
      message: briefing('Story'),
      identity,
    };
    const first = await postWithIdentity(rest, { ...base, nonce: 'n-1' });
    await rest.delete(Routes.webhook(first.webhook!.id));
    const second = await postWithIdentity(rest, { ...base, nonce: 'n-2', webhook: first.webhook });
    expect(second.result.kind).toBe('sent');
    expect(second.webhook?.id).not.toBe(first.webhook?.id);
    expect(fake.messages(TEXT)).toHaveLength(2);
  });

  it('without Manage Webhooks it says so and posts as the bot', async () => {
    await start();
    const result = await postWithIdentity(rest, {
      channelId: LOCKED_TEXT,
      applicationId: fake.applicationId,
      message: briefing('Story'),
      nonce: 'n-1',
      identity,
    });
    expect(result.result.kind).toBe('sent');
    expect(result.fallback).toMatchObject({ kind: 'paused', surface: 'webhook' });
    expect(result.fallback?.reason).toContain('Manage Webhooks');
    const [posted] = fake.messages(LOCKED_TEXT);
    expect(posted?.message.webhook_id).toBeUndefined();
    expect(posted?.message.author.id).toBe(fake.botUserId);
    expect(result.webhook).toBeUndefined();
  });
});
