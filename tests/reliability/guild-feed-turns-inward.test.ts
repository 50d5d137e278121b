/**
 * A guild feed is checked when it is added, but a feed's server and DNS can change afterwards:
 * the host of an accepted feed may later resolve to a private address (DNS rebinding, or a
 * domain that changed hands), or its server may start redirecting inward. Every fetch — every
 * poll, every redirect hop — checks again and refuses before connecting. DNS is a stub here;
 * the accepted address is 127.0.0.1 (allowed explicitly, standing in for a public one), so the
 * only connections made are to the local feed server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '../../src/errors';
import { createFetcher, type Fetcher } from '../../src/feeds/fetch';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { rss } from '../support/rss';

/** What the stub DNS answers now, per host; a test changes it between polls. */
const dns = new Map<string, string[]>();
let server: FeedServer;
let fetcher: Fetcher;
let feedUrl: string;

beforeAll(async () => {
  server = await startFeedServer({
    '/feed.xml': { body: rss([{ title: 'Ordinary news', guid: 'a' }]) },
  });
  fetcher = createFetcher({
    resolve: async (host) => dns.get(host) ?? [],
    allowAddresses: ['127.0.0.1'],
    connectTimeoutMs: 2_000,
  });
  feedUrl = `http://news.example.org:${server.port}/feed.xml`;
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

const poll = () => fetcher.fetch({ url: feedUrl, trust: 'untrusted' });
async function refusal(): Promise<FeedError> {
  const err = await poll().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(FeedError);
  return err as FeedError;
}

describe('an accepted guild feed that later points inward', () => {
  it('is read while its host resolves to the accepted address', async () => {
    dns.set('news.example.org', ['127.0.0.1']);
    expect((await poll()).kind).toBe('ok');
    expect(server.requests('/feed.xml')).toHaveLength(1);
  });

  it.each([
    ['a private address', ['10.0.0.7'], /resolves to 10\.0\.0\.7 \(private\)/],
    ['cloud metadata', ['169.254.169.254'], /resolves to 169\.254\.169\.254 \(cloud metadata\)/],
    [
      'the accepted address and a private one',
      ['127.0.0.1', '192.168.1.20'],
      /192\.168\.1\.20 \(private\)/,
    ],
    ['AWS metadata over IPv6', ['fd00:ec2::254'], /fd00:ec2::254 \(cloud metadata\)/],
  ])('is refused at fetch time when its host now resolves to %s', async (_name, addresses, why) => {
    const before = server.requests().length;
    dns.set('news.example.org', addresses);
    const err = await refusal();
    expect(err.message).toMatch(/^Feed URL refused: /);
    expect(err.message).toMatch(why);
    expect(server.requests()).toHaveLength(before);
  });

  it.each([
    ['a private address', 'http://10.1.2.3/admin', /10\.1\.2\.3 \(private\)/],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', /\(cloud metadata\)/],
    [
      'a host that resolves to loopback',
      'http://intranet.example.org/',
      /resolves to 127\.0\.0\.2 \(loopback\)/,
    ],
    ['a file', 'file:///etc/passwd', /uses file; only http and https/],
  ])(
    'is refused at the redirect hop when its server now redirects to %s',
    async (_name, target, why) => {
      dns.set('news.example.org', ['127.0.0.1']);
      dns.set('intranet.example.org', ['127.0.0.2']);
      server.setRoute('/feed.xml', { redirect: target });
      const before = server.requests().length;
      const err = await refusal();
      expect(err.message).toMatch(why);
      // The feed's own server was asked once (and answered with the redirect); nothing else was.
      expect(server.requests()).toHaveLength(before + 1);
    },
  );
});
