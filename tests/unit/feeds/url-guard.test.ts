import { describe, expect, it } from 'vitest';
import { FeedError } from '../../../src/errors';
import {
  checkUrlShape,
  createUrlGuard,
  forbiddenReason,
  isForbiddenAddress,
  pinnedLookup,
} from '../../../src/feeds/url-guard';

describe('forbiddenReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.1.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['::ffff:192.168.0.1', 'private'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::10.0.0.1', 'private via NAT64'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata via NAT64'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fd00:ec2::23', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['192.0.0.192', 'cloud metadata'],
    ['168.63.129.16', 'cloud metadata'],
    ['2002:a9fe:a9fe::1', '6to4'],
    ['2002:7f00:1::', '6to4'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['fec0::1', 'site-local'],
    ['feff::1', 'site-local'],
    ['100::1', 'discard-only'],
    ['[::1]', 'loopback'],
    ['localhost', 'not an IP address'],
    ['', 'not an IP address'],
  ])('refuses %s (%s)', (ip, reason) => {
    expect(forbiddenReason(ip)).toBe(reason);
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '11.0.0.1',
    '2606:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2001:db9::1',
    '2003::1',
    '100:0:0:1::1',
  ])('allows the public address %s', (ip) => {
    expect(forbiddenReason(ip)).toBeUndefined();
    expect(isForbiddenAddress(ip)).toBe(false);
  });
});

function refusal(fn: () => unknown): FeedError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FeedError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('checkUrlShape', () => {
  it.each([
    ['https://example.com/feed.xml', 'https://example.com/feed.xml'],
    ['http://EXAMPLE.com:8080/a?b=c', 'http://example.com:8080/a?b=c'],
    // WHATWG URL turns odd IPv4 spellings into dotted quads; the address check then sees them.
    ['http://2130706433/', 'http://127.0.0.1/'],
    ['http://0177.0.0.1/', 'http://127.0.0.1/'],
    ['http://0x7f.1/', 'http://127.0.0.1/'],
    ['http://0x7f000001/', 'http://127.0.0.1/'],
    ['http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/'],
  ])('accepts %s as %s', (raw, href) => {
    expect(checkUrlShape(raw).href).toBe(href);
  });

  it.each([
    ['ftp://example.com/feed', /uses ftp; only http and https/],
    ['file:///etc/passwd', /uses file; only http and https/],
    ['gopher://example.com/', /uses gopher/],
    ['javascript:alert(1)', /uses javascript/],
    ['/etc/passwd', /is not a valid URL/],
    ['not a url', /is not a valid URL/],
    ['https://user:secret@example.com/feed', /contains a username or password/],
    ['https://user@example.com/feed', /contains a username or password/],
  ])('refuses %s', (raw, message) => {
    const err = refusal(() => checkUrlShape(raw));
    expect(err.message).toMatch(/^Feed URL refused: /);
    expect(err.message).toMatch(message);
    expect(err.details.kind).toBe('permanent');
  });

  it('never repeats a password in its message', () => {
    expect(refusal(() => checkUrlShape('https://user:secret@example.com/')).message).not.toContain(
      'secret',
    );
  });
});

describe('createUrlGuard', () => {
  const dns: Record<string, string[]> = {
    'public.test': ['93.184.216.34', '2606:2800:220:1::1'],
    'sneaky.test': ['93.184.216.34', '10.0.0.5'],
    'meta.test': ['169.254.169.254'],
    'empty.test': [],
  };
  const resolve = async (host: string) => {
    const found = dns[host];
    if (!found)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found;
  };
  const guard = createUrlGuard({ resolve });

  it('answers every address of a public host, for the connection to be pinned to', async () => {
    await expect(guard(new URL('https://public.test/feed'))).resolves.toEqual(dns['public.test']);
  });

  it.each([
    ['https://meta.test/latest', 'resolves to 169.254.169.254 (cloud metadata)'],
    ['https://sneaky.test/', 'resolves to 10.0.0.5 (private)'],
    ['http://127.0.0.1:8080/', 'resolves to 127.0.0.1 (loopback)'],
    ['http://2130706433/', 'resolves to 127.0.0.1 (loopback)'],
    ['http://0x7f.1/', 'resolves to 127.0.0.1 (loopback)'],
    ['http://[::1]/', 'resolves to ::1 (loopback)'],
    ['http://[::ffff:127.0.0.1]/', 'resolves to ::ffff:7f00:1 (loopback)'],
    ['http://[fe80::1]/', 'resolves to fe80::1 (link-local)'],
    ['https://empty.test/', 'resolves to no address'],
  ])('refuses %s because it %s', async (url, why) => {
    const err = await guard(new URL(url)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedError);
    expect((err as FeedError).message).toBe(`Feed URL refused: ${new URL(url).href} ${why}`);
    expect((err as FeedError).details.kind).toBe('permanent');
  });

  it('reports a failed DNS lookup as transient', async () => {
    const err = (await guard(new URL('https://nowhere.test/')).catch(
      (e: unknown) => e,
    )) as FeedError;
    expect(err.message).toBe(
      'Feed fetch failed (DNS lookup failed: ENOTFOUND): https://nowhere.test/',
    );
    expect(err.details.kind).toBe('transient');
  });

  it('gives up on a DNS lookup that never answers, naming the host', async () => {
    const stalled = createUrlGuard({ resolve: () => new Promise(() => {}), timeoutMs: 50 });
    const err = (await stalled(new URL('https://slow.test/')).catch(
      (e: unknown) => e,
    )) as FeedError;
    expect(err.message).toBe(
      'Feed fetch failed (timed out resolving slow.test after 50ms): https://slow.test/',
    );
    expect(err.details.kind).toBe('transient');
  });

  it('stops waiting for DNS when the signal aborts', async () => {
    const stalled = createUrlGuard({ resolve: () => new Promise(() => {}) });
    const controller = new AbortController();
    const checking = stalled(new URL('https://slow.test/'), controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(checking).rejects.toThrow('shutting down');
  });

  it('lets through the private addresses and ranges the operator allowed, and only those', async () => {
    const lenient = createUrlGuard({ resolve, allowAddresses: ['10.0.0.0/24', '169.254.169.254'] });
    await expect(lenient(new URL('https://sneaky.test/'))).resolves.toEqual([
      '93.184.216.34',
      '10.0.0.5',
    ]);
    await expect(lenient(new URL('https://meta.test/'))).resolves.toEqual(['169.254.169.254']);
    await expect(lenient(new URL('http://10.0.1.1/'))).rejects.toThrow(/10\.0\.1\.1 \(private\)/);
  });

  it.each([
    ['meta.test', '169.254.169.254'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254'],
    ['http://100.100.100.200/', '100.100.100.200'],
    ['http://[64:ff9b::a9fe:a9fe]/', '64:ff9b::a9fe:a9fe'],
  ])(
    'with ALLOW_PRIVATE_FEEDS still refuses the cloud metadata address of %s',
    async (target, ip) => {
      const open = createUrlGuard({ resolve, allowPrivate: true });
      const url = new URL(target.includes('/') ? target : `https://${target}/`);
      await expect(open(url)).rejects.toThrow(`resolves to ${ip} (cloud metadata`);
    },
  );

  it('with ALLOW_PRIVATE_FEEDS lets every other non-public address through', async () => {
    const open = createUrlGuard({ resolve, allowPrivate: true });
    await expect(open(new URL('https://sneaky.test/'))).resolves.toEqual(dns['sneaky.test']);
    await expect(open(new URL('http://127.0.0.1/'))).resolves.toEqual(['127.0.0.1']);
    await expect(open(new URL('http://[fd12::1]/'))).resolves.toEqual(['fd12::1']);
  });

  it('reaches cloud metadata only with ALLOW_CLOUD_METADATA_FEEDS as well', async () => {
    const metadataOnly = createUrlGuard({ resolve, allowCloudMetadata: true });
    await expect(metadataOnly(new URL('https://meta.test/'))).rejects.toThrow(/cloud metadata/);
    const both = createUrlGuard({ resolve, allowPrivate: true, allowCloudMetadata: true });
    await expect(both(new URL('https://meta.test/'))).resolves.toEqual(['169.254.169.254']);
  });

  it('rejects an allow-list entry that is not an address', () => {
    expect(() => createUrlGuard({ allowAddresses: ['intranet.local'] })).toThrow(
      /not an address or CIDR/,
    );
  });
});

describe('pinnedLookup', () => {
  const lookup = pinnedLookup(['93.184.216.34', '2606:2800:220:1::1']);
  const ask = (options: Parameters<typeof lookup>[1]) =>
    new Promise<unknown>((resolve, reject) =>
      lookup('evil.test', options, (err, address, family) =>
        err ? reject(err) : resolve({ address, family }),
      ),
    );

  it('answers the pinned addresses whatever the host name', async () => {
    await expect(ask({ all: true })).resolves.toEqual({
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ],
      family: undefined,
    });
    await expect(ask({})).resolves.toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('honours a requested family, and fails when none of the pinned addresses has it', async () => {
    await expect(ask({ family: 6 })).resolves.toEqual({ address: '2606:2800:220:1::1', family: 6 });
    await expect(
      new Promise((resolve, reject) =>
        pinnedLookup(['93.184.216.34'])('x', { family: 6 }, (err) =>
          err ? reject(err) : resolve(null),
        ),
      ),
    ).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
