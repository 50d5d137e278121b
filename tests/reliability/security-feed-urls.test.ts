/**
 * Guild-added feeds, end to end through /feed add: every spelling of this machine, private
 * networks, link-local, CGNAT, multicast and cloud metadata is refused before a connection is
 * made, as are credentials and schemes other than http(s). ALLOW_PRIVATE_FEEDS lets private
 * targets through, never credentials. The layers below are unit-tested: tests/unit/feeds/
 * url-guard.test.ts (every range and spelling) and fetch.test.ts (the check on every redirect hop,
 * and the connection pinned to the checked address).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, textOf } from '../support/bot-harness';
import { rss } from '../support/rss';

let bot: BotHarness;
let port: number;
beforeAll(async () => {
  bot = await BotHarness.start();
  bot.server.setRoute('/feed.xml', { body: rss([{ title: 'Internal', guid: 'i' }]) });
  port = bot.server.port;
});
afterAll(() => bot.close());

const addFeed = async (b: BotHarness, url: string) =>
  (await b.reply({ name: 'feed', subcommand: 'add', options: { url } })).content;

/** [spelling, URL (PORT is the feed server's port on 127.0.0.1), why it is refused] */
const refused: Array<[string, string, RegExp]> = [
  ['loopback', 'http://127.0.0.1:PORT/feed.xml', /resolves to 127\.0\.0\.1 \(loopback\)/],
  ['loopback, short form', 'http://127.1:PORT/feed.xml', /resolves to 127\.0\.0\.1 \(loopback\)/],
  ['loopback, decimal', 'http://2130706433:PORT/feed.xml', /resolves to 127\.0\.0\.1 \(loopback\)/],
  ['loopback, octal', 'http://0177.0.0.1:PORT/feed.xml', /resolves to 127\.0\.0\.1 \(loopback\)/],
  [
    'loopback, hexadecimal',
    'http://0x7f000001:PORT/feed.xml',
    /resolves to 127\.0\.0\.1 \(loopback\)/,
  ],
  ['another loopback address', 'http://127.53.0.9:PORT/feed.xml', /\(loopback\)/],
  [
    'the unspecified address (reaches this machine on Linux)',
    'http://0:PORT/feed.xml',
    /resolves to 0\.0\.0\.0 \(unspecified\)/,
  ],
  [
    'a name that resolves to loopback',
    'http://localhost:PORT/feed.xml',
    /resolves to (127\.0\.0\.1|::1) \(loopback\)/,
  ],
  ['IPv6 loopback', 'http://[::1]:PORT/feed.xml', /resolves to ::1 \(loopback\)/],
  ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:PORT/feed.xml', /\(loopback\)/],
  ['NAT64 of a private address', 'http://[64:ff9b::10.0.0.1]/feed', /\(private via NAT64\)/],
  ['private 10/8', 'http://10.1.2.3/feed', /\(private\)/],
  ['private 172.16/12', 'http://172.31.255.254/feed', /\(private\)/],
  ['private 192.168/16', 'http://192.168.0.1/feed', /\(private\)/],
  ['AWS metadata over IPv6', 'http://[fd00:ec2::254]/latest/meta-data/', /\(cloud metadata\)/],
  ['IPv6 unique-local', 'http://[fd12:3456::1]/feed', /\(unique-local\)/],
  ['6to4 (tunnels to an embedded IPv4 address)', 'http://[2002:a9fe:a9fe::1]/feed', /\(6to4\)/],
  ['Teredo', 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/feed', /\(Teredo\)/],
  ['local-use NAT64', 'http://[64:ff9b:1::a00:1]/feed', /\(local-use NAT64\)/],
  ['IPv6 site-local', 'http://[fec0::1]/feed', /\(site-local\)/],
  ['IPv6 discard-only', 'http://[100::1]/feed', /\(discard-only\)/],
  ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', /\(cloud metadata\)/],
  [
    'cloud metadata, decimal',
    'http://2852039166/latest/meta-data/',
    /resolves to 169\.254\.169\.254 \(cloud metadata\)/,
  ],
  ['link-local', 'http://169.254.10.10/feed', /\(link-local\)/],
  ['IPv6 link-local', 'http://[fe80::1]/feed', /\(link-local\)/],
  ['carrier-grade NAT', 'http://100.64.0.1/feed', /\(carrier-grade NAT\)/],
  ['multicast', 'http://224.0.0.1/feed', /\(multicast\)/],
  ['IPv6 multicast', 'http://[ff02::1]/feed', /\(multicast\)/],
  [
    'credentials in the URL',
    'http://reader:hunter2secret@example.org/feed',
    /contains a username or password/,
  ],
  ['a local file', 'file:///etc/passwd', /uses file; only http and https/],
  ['ftp', 'ftp://example.org/feed.xml', /uses ftp; only http and https/],
  ['gopher to this machine', 'gopher://127.0.0.1:PORT/_GET', /uses gopher; only http and https/],
  ['a data: URL', 'data:text/xml,<rss></rss>', /uses data; only http and https/],
];

describe('/feed add with a URL that points inwards', () => {
  it.each(refused)('refuses %s before connecting', async (_name, template, why) => {
    const requests = bot.server.requests().length;
    const reply = await addFeed(bot, template.replace('PORT', String(port)));
    expect(reply).toMatch(/^(I could not read \S+|That URL cannot be used): Feed URL refused: /);
    expect(reply).toMatch(why);
    expect(reply).not.toContain('hunter2secret');
    expect(bot.server.requests()).toHaveLength(requests);
  });

  it('adds none of them to the server', async () => {
    // Tries every one itself, so that it holds when run alone as well as after the cases above.
    for (const [, template] of refused) await addFeed(bot, template.replace('PORT', String(port)));
    expect(textOf(await bot.reply({ name: 'feed', subcommand: 'list' }))).not.toMatch(
      /127\.0\.0\.1|169\.254|example\.org/,
    );
  });
});

describe('ALLOW_PRIVATE_FEEDS', () => {
  it('lets a guild add a feed on a private address, in any spelling, but still never with credentials or to cloud metadata', async () => {
    const open = await BotHarness.start({ env: { ALLOW_PRIVATE_FEEDS: 'true' } });
    try {
      open.server.setRoute('/feed.xml', {
        body: rss([{ title: 'Internal', guid: 'i' }], 'Intranet News'),
      });
      expect(await addFeed(open, `http://2130706433:${open.server.port}/feed.xml`)).toContain(
        'Added feed `intranet-news`',
      );
      expect(open.server.requests('/feed.xml')).toHaveLength(1);
      const withPassword = await addFeed(
        open,
        `http://reader:hunter2secret@127.0.0.1:${open.server.port}/feed.xml`,
      );
      expect(withPassword).toMatch(/contains a username or password/);
      expect(withPassword).not.toContain('hunter2secret');
      // Cloud metadata hands out the machine's credentials: it takes a setting of its own.
      for (const metadata of [
        'http://169.254.169.254/latest/meta-data/',
        'http://2852039166/latest/meta-data/',
        'http://[fd00:ec2::254]/latest/meta-data/',
        'http://100.100.100.200/latest/meta-data/',
        'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
      ])
        expect(await addFeed(open, metadata)).toMatch(/Feed URL refused: .*\(cloud metadata\)/);
      expect(open.server.requests('/feed.xml')).toHaveLength(1);
    } finally {
      await open.close();
    }
  });
});
