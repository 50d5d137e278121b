/**
 * A subscription's webhook token lets anyone post as it: it is kept in memory only (found again
 * from Discord after a restart, never written to the store) and never logged, listed or kept as a
 * delivery's error — even when the error text that comes back quotes the request's path, which
 * holds the token.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotHarness, textOf } from '../support/bot-harness';
import { rss, type TestEntry } from '../support/rss';
import { SURFACE_GUILD, TEXT } from '../support/surface-guild';

const HOUR = 3_600_000;
const EXECUTE = 'POST /webhooks/:webhookId/:token';
let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

function entry(id: string, title: string, description: string): TestEntry {
  return {
    title,
    guid: id,
    link: `https://example.org/${id}`,
    description,
    pubDate: new Date(bot!.clock.now().getTime() - HOUR).toUTCString(),
  };
}

/** Every byte the store keeps on disk: the database, its WAL and shared memory. */
async function storeBytes(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f.startsWith('store.sqlite'));
  const contents = await Promise.all(files.map((f) => readFile(join(dir, f))));
  return contents.map((b) => b.toString('latin1')).join('\n');
}

describe('the webhook token', () => {
  it('is never logged, listed, kept with a failed delivery, or written to the store', async () => {
    bot = await BotHarness.start({
      feeds: [{ id: 'wire', name: 'Wire', path: '/wire.xml' }],
      surfaces: true,
    });
    const posted: TestEntry[] = [
      entry('calm', 'Coal stocks unchanged', 'Warehouses reported steady volumes.'),
    ];
    const publish = async (e: TestEntry) => {
      posted.unshift(e);
      bot!.server.setRoute('/wire.xml', { body: rss(posted) });
      await bot!.poll();
    };
    bot.server.setRoute('/wire.xml', { body: rss(posted) });
    await bot.poll();
    await bot.reply({
      name: 'subscribe',
      guildId: SURFACE_GUILD,
      channelId: TEXT,
      options: { topic: 'energy', webhook_name: 'Energy desk' },
    });
    await publish(
      entry('a', 'Gas tariff review opens', 'Regulators invited comments until March.'),
    );
    const [hook] = bot.fake.webhooks(TEXT);
    expect(hook?.token.length).toBeGreaterThan(20);
    const token = hook!.token;

    // Refusals whose text quotes the execute URL: one for good (400), one to retry (401).
    bot.fake.failNext({ route: EXECUTE, status: 400, code: 50035, echoPath: true });
    await publish(
      entry('b', 'Oil export quota raised', 'Tankers may carry more crude from April.'),
    );
    bot.fake.failNext({ route: EXECUTE, status: 401, code: 0, echoPath: true });
    await publish(
      entry(
        'c',
        'Pipeline inspection finds no leaks',
        'Engineers walked every kilometre of the line.',
      ),
    );
    const held = await bot.app.stores.outbox.pending();
    expect(held).toHaveLength(1);
    expect(held[0]!.lastError).toMatch(/^Discord 401: .*\[redacted\]/);
    expect(bot.logLines.join('\n')).toMatch(/delivery dropped.*\[redacted\]/);

    // After a restart the webhook is found again in Discord, not read from the store.
    await bot.restart();
    bot.clock.advance(HOUR);
    await bot.poll();
    expect(await bot.app.stores.outbox.pending()).toEqual([]);
    expect(bot.fake.webhooks(TEXT)).toHaveLength(1);
    expect(
      bot.fake
        .messages(TEXT)
        .filter((m) => m.identity?.username === 'Energy desk')
        .map((m) => m.body.embeds?.[0]?.title),
    ).toEqual(['Gas tariff review opens', 'Pipeline inspection finds no leaks']);

    const topics = await bot.reply({ name: 'topics', guildId: SURFACE_GUILD, channelId: TEXT });
    const seen = [
      bot.logLines.join('\n'),
      JSON.stringify(held),
      textOf(topics),
      JSON.stringify(topics),
      await storeBytes(bot.files.dir),
    ];
    for (const text of seen) expect(text).not.toContain(token);
  });
});
