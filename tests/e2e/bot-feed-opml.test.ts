/**
 * /feed import and /feed export through the real discord.js client: the OPML file is attached
 * the way Discord delivers attachments (a CDN URL the bot downloads; here the local feed server),
 * each of its feeds goes through the same guard and discovery as /feed add, and the export comes
 * back as an attached file that imports again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseOpml } from '../../src/config/opml';
import { BotHarness, textOf } from '../support/bot-harness';
import { rss } from '../support/rss';

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** A feed reader's export in its usual shape: folders, `xmlUrl` and `htmlUrl`, entities in titles. */
function readerExport(feeds: Array<{ title: string; xmlUrl: string }>): string {
  const outlines = feeds
    .map(
      (f) =>
        `      <outline type="rss" text="${f.title}" title="${f.title}" xmlUrl="${f.xmlUrl}" htmlUrl="https://example.org/"/>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions exported from a reader</title></head>
  <body>
    <outline text="Energy &amp; Climate" title="Energy &amp; Climate">
${outlines}
    </outline>
  </body>
</opml>
`;
}

async function startWithFeeds() {
  bot = await BotHarness.start({ feeds: [], env: { ALLOW_PRIVATE_FEEDS: 'true' } });
  bot.server.setRoute('/gazette.xml', {
    body: rss([{ title: 'Town council meets', guid: 'g1' }], 'Local Gazette'),
  });
  bot.server.setRoute('/wire.xml', {
    body: rss([{ title: 'Gas price steady', guid: 'w1' }], 'Caspian Energy Wire'),
  });
  return bot;
}

/** Serves `text` as the attachment and returns the option value that names it. */
function attach(b: BotHarness, text: string, size = Buffer.byteLength(text)) {
  b.server.setRoute('/attachments/subscriptions.opml', { body: text, contentType: 'text/x-opml' });
  return b.fake.attach({
    url: b.server.url('/attachments/subscriptions.opml'),
    filename: 'subscriptions.opml',
    size,
  });
}

describe('/feed import and /feed export', () => {
  it('imports each feed through the guild feed guard, skipping what cannot be followed, and says why', async () => {
    const b = await startWithFeeds();
    const file = attach(
      b,
      readerExport([
        { title: 'Local Gazette', xmlUrl: b.server.url('/gazette.xml') },
        { title: 'Caspian &amp; Energy Wire', xmlUrl: b.server.url('/wire.xml') },
        { title: 'Twice', xmlUrl: b.server.url('/gazette.xml') },
        { title: 'Metadata', xmlUrl: 'http://169.254.169.254/latest/meta-data/' },
        { title: 'Old protocol', xmlUrl: 'ftp://example.org/feed.xml' },
      ]),
    );
    const reply = await b.reply({ name: 'feed', subcommand: 'import', options: { file } });
    expect(reply.content).toMatch(/^Added 2 feeds, skipped 2\./);
    expect(reply.content).toContain('`local-gazette` Local Gazette');
    expect(reply.content).toContain('`caspian-energy-wire` Caspian Energy Wire');
    expect(reply.content).toMatch(/169\.254\.169\.254.*cloud metadata/);
    expect(reply.content).toMatch(/ftp:\/\/example\.org.*cannot be used/);
    const list = textOf(await b.reply({ name: 'feed', subcommand: 'list' }));
    expect(list).toContain(b.server.url('/wire.xml'));
  });

  it('refuses a file over the size cap before downloading it', async () => {
    const b = await startWithFeeds();
    const file = attach(b, readerExport([]), 300 * 1024);
    const reply = await b.reply({ name: 'feed', subcommand: 'import', options: { file } });
    expect(reply.content).toBe('That file is 300 KB; an OPML import takes at most 256 KB.');
    expect(b.server.requests('/attachments/subscriptions.opml')).toEqual([]);
  });

  it('refuses a file that is not OPML with a clear answer', async () => {
    const b = await startWithFeeds();
    const file = attach(b, '<html><body>not a list</body></html>');
    const reply = await b.reply({ name: 'feed', subcommand: 'import', options: { file } });
    expect(reply.content).toContain('That is not an OPML file I can read');
  });

  it('exports the server’s feeds as an attached OPML file that imports again', async () => {
    const b = await startWithFeeds();
    await b.reply({ name: 'feed', subcommand: 'add', options: { url: b.server.url('/wire.xml') } });
    const reply = await b.reply({ name: 'feed', subcommand: 'export' });
    expect(reply.content).toBe("This server's 1 feed, as OPML for any feed reader.");
    const upload = b.fake.requests
      .flatMap((r) => r.uploads ?? [])
      .find((u) => u.name === 'feeds.opml');
    expect(upload).toBeDefined();
    const exported = parseOpml(upload!.text, 'feeds.opml');
    expect(exported.feeds).toEqual([
      { url: b.server.url('/wire.xml'), title: 'Caspian Energy Wire', folders: [] },
    ]);

    await b.reply({ name: 'feed', subcommand: 'remove', options: { feed: 'caspian-energy-wire' } });
    const again = await b.reply({
      name: 'feed',
      subcommand: 'import',
      options: { file: attach(b, upload!.text) },
    });
    expect(again.content).toMatch(/^Added 1 feed, skipped 0\./);
  });
});
