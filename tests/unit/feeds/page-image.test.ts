import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_URL_LENGTH, pageImage } from '../../../src/feeds/page-image';
import type { PolledFeed } from '../../../src/domain/feed';
import { pageTrust } from '../../../src/worker/page-images';

const PAGE = 'https://harbour.example.org/news/2026/ferry-timetable.html';
const head = (meta: string) =>
  `<!doctype html><html><head><title>Ferry timetable</title>${meta}</head><body><p>Text</p></body></html>`;

describe('pageImage', () => {
  it.each<[string, string, string | undefined]>([
    [
      'nothing when the head names no picture',
      head('<meta name="description" content="x">'),
      undefined,
    ],
    [
      "Open Graph's og:image",
      head('<meta property="og:image" content="https://cdn.harbour.example.org/ferry.jpg">'),
      'https://cdn.harbour.example.org/ferry.jpg',
    ],
    [
      'twitter:image when there is no og:image',
      head('<meta name="twitter:image" content="https://cdn.harbour.example.org/card.png">'),
      'https://cdn.harbour.example.org/card.png',
    ],
    [
      'og:image before twitter:image, whichever comes first in the page',
      head(
        '<meta name="twitter:image" content="https://cdn.harbour.example.org/card.png">' +
          '<meta property="og:image" content="https://cdn.harbour.example.org/ferry.jpg">',
      ),
      'https://cdn.harbour.example.org/ferry.jpg',
    ],
    [
      'a relative URL, resolved against the page',
      head('<meta property="og:image" content="../img/quay.webp">'),
      'https://harbour.example.org/news/img/quay.webp',
    ],
    [
      'a protocol-relative URL, with the page’s scheme',
      head('<meta property="og:image" content="//cdn.harbour.example.org/a.jpg">'),
      'https://cdn.harbour.example.org/a.jpg',
    ],
    [
      'character references decoded',
      head('<meta property="og:image" content="/pic?w=800&amp;h=600&#38;q=80">'),
      'https://harbour.example.org/pic?w=800&h=600&q=80',
    ],
    [
      'attribute names in any case, single quotes, unquoted values, content first',
      head("<META CONTENT='https://cdn.harbour.example.org/b.jpg' Property=og:image>"),
      'https://cdn.harbour.example.org/b.jpg',
    ],
    [
      "og:image's other spelling og:image:url",
      head('<meta property="og:image:url" content="https://cdn.harbour.example.org/c.jpg">'),
      'https://cdn.harbour.example.org/c.jpg',
    ],
    [
      'nothing from a meta tag after the head',
      '<html><head><title>t</title></head><body><meta property="og:image" content="https://x.example/late.jpg"></body>',
      undefined,
    ],
    [
      'a head the fetcher stopped reading inside (no </head> yet)',
      '<html><head><meta property="og:image" content="https://cdn.harbour.example.org/d.jpg"><meta name="a',
      'https://cdn.harbour.example.org/d.jpg',
    ],
  ])('%s', (_name, html, expected) => {
    expect(pageImage(html, PAGE)).toBe(expected);
  });

  it.each<[string, string]>([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['javascript: spelled with character references', '&#106;avascript:alert(1)'],
    ['data:', 'data:image/svg+xml,<svg onload=alert(1)>'],
    ['file:', 'file:///etc/passwd'],
    ['credentials (a phishing shape)', 'https://bank.example@evil.example/logo.png'],
    [
      'a URL longer than any real one',
      `https://cdn.harbour.example.org/${'a'.repeat(MAX_IMAGE_URL_LENGTH)}.jpg`,
    ],
    ['an empty value', '   '],
    ['a value that is no URL', 'http://[::1'],
  ])('refuses %s, and falls back to the next name', (_name, hostile) => {
    const html = head(
      `<meta property="og:image" content="${hostile}">` +
        '<meta name="twitter:image" content="https://cdn.harbour.example.org/safe.jpg">',
    );
    expect(pageImage(html, PAGE)).toBe('https://cdn.harbour.example.org/safe.jpg');
  });

  it('takes the first usable og:image when an earlier one is refused', () => {
    const html = head(
      '<meta property="og:image" content="javascript:void(0)">' +
        '<meta property="og:image" content="https://cdn.harbour.example.org/second.jpg">',
    );
    expect(pageImage(html, PAGE)).toBe('https://cdn.harbour.example.org/second.jpg');
  });

  it('never reads a meta tag hidden inside another tag’s attribute', () => {
    const html = head(
      '<meta name="description" content="<meta property=og:image content=https://evil.example/x.jpg">',
    );
    expect(pageImage(html, PAGE)).toBeUndefined();
  });

  it('keeps to one pass over a head full of unclosed meta tags', () => {
    // 200k `<meta` with no `>`: a scan that retried at each would never finish.
    expect(pageImage(`<head>${'<meta a="'.repeat(200_000)}`, PAGE)).toBeUndefined();
    const many = `<head>${'<meta name="x" content="y">'.repeat(20_000)}<meta property="og:image" content="/z.jpg">`;
    expect(pageImage(many, PAGE)).toBe('https://harbour.example.org/z.jpg');
  });
});

describe('pageTrust', () => {
  const feed = (
    trust: PolledFeed['trust'],
    url = 'http://10.0.0.5:1200/rsshub/harbour',
  ): PolledFeed => ({
    id: 'harbour',
    url,
    interval: 600_000,
    backfill: 0,
    trust,
  });

  it.each<[string, PolledFeed, string, 'trusted' | 'untrusted']>([
    [
      'an operator feed’s own host is trusted',
      feed('trusted'),
      'http://10.0.0.5:1200/item/1',
      'trusted',
    ],
    [
      'an operator feed’s link elsewhere is not',
      feed('trusted'),
      'http://10.0.0.9/internal',
      'untrusted',
    ],
    [
      'the same name on another port is another host',
      feed('trusted'),
      'http://10.0.0.5:8080/x',
      'untrusted',
    ],
    [
      'a guild feed’s link on its own host is not',
      feed('untrusted'),
      'http://10.0.0.5:1200/item/1',
      'untrusted',
    ],
    [
      'a local file feed has no host to trust',
      feed('trusted', '/srv/feeds/local.xml'),
      'http://10.0.0.5/x',
      'untrusted',
    ],
  ])('%s', (_name, f, link, expected) => {
    expect(pageTrust(f, link)).toBe(expected);
  });
});
