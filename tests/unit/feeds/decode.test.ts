import { describe, expect, it } from 'vitest';
import { declaredCharset, decodeFeedBytes, headerCharset } from '../../../src/feeds/decode';
import { encodeLegacy } from '../../support/feed-server';

const RUSSIAN = 'Привет, Ёлка! Новости Центральной Азии';
const feed = (encoding?: string) =>
  `<?xml version="1.0"${encoding ? ` encoding="${encoding}"` : ''}?><rss><channel><title>${RUSSIAN}</title></channel></rss>`;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('encodeLegacy (test helper)', () => {
  it('produces the known bytes for windows-1251 and koi8-r', () => {
    expect([...encodeLegacy('Привет', 'windows-1251')]).toEqual([
      0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2,
    ]);
    expect([...encodeLegacy('Привет', 'koi8-r')]).toEqual([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]);
  });
});

describe('decodeFeedBytes', () => {
  it.each([
    [
      'windows-1251 named by the HTTP charset',
      encodeLegacy(feed(), 'windows-1251'),
      'text/xml; charset=windows-1251',
    ],
    [
      'windows-1251 named by a quoted HTTP charset',
      encodeLegacy(feed(), 'windows-1251'),
      'text/xml; charset="Windows-1251"',
    ],
    [
      'windows-1251 named only by the XML declaration',
      encodeLegacy(feed('windows-1251'), 'windows-1251'),
      'application/rss+xml',
    ],
    [
      'windows-1251 with an XML declaration and no content type',
      encodeLegacy(feed('windows-1251'), 'windows-1251'),
      undefined,
    ],
    [
      'koi8-r named by the HTTP charset',
      encodeLegacy(feed(), 'koi8-r'),
      'application/xml;charset=koi8-r',
    ],
    ['koi8-r named only by the XML declaration', encodeLegacy(feed('koi8-r'), 'koi8-r'), undefined],
    ['utf-8 with nothing said', Buffer.from(feed()), undefined],
    [
      'utf-8 with a BOM, against a wrong HTTP charset',
      Buffer.concat([UTF8_BOM, Buffer.from(feed())]),
      'text/xml; charset=windows-1251',
    ],
    [
      'utf-8 from the header, against a stale XML declaration',
      Buffer.from(feed('windows-1251')),
      'text/xml; charset=utf-8',
    ],
    [
      'utf-16le with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(feed('utf-16'), 'utf16le')]),
      undefined,
    ],
    [
      'utf-8 when the XML declaration names an unknown charset',
      Buffer.from(feed('x-klingon')),
      undefined,
    ],
    [
      'utf-8 when a BOM-less body claims utf-16 (the prolog was readable, so it is not)',
      Buffer.from(feed('utf-16')),
      undefined,
    ],
  ])('decodes %s', (_case, bytes, contentType) => {
    const text = decodeFeedBytes(bytes, contentType);
    expect(text).toContain(`<title>${RUSSIAN}</title>`);
    expect(text.startsWith('<?xml')).toBe(true);
  });

  it('turns bytes that are invalid in the named charset into U+FFFD instead of throwing', () => {
    expect(decodeFeedBytes(Buffer.from([0x3c, 0x61, 0xff, 0x3e]), 'text/xml; charset=utf-8')).toBe(
      '<a\uFFFD>',
    );
  });

  it.each(['windows-1251', 'koi8-r'] as const)(
    'recognises %s when nothing names the charset and the bytes are not UTF-8',
    (charset) => {
      expect(decodeFeedBytes(encodeLegacy(feed(), charset))).toContain(`<title>${RUSSIAN}</title>`);
    },
  );

  it.each(['windows-1252', 'iso-8859-1'])(
    'maps smart quotes and dashes of a body declared %s as browsers do',
    (charset) => {
      expect(
        decodeFeedBytes(
          Buffer.from([0x93, 0x6f, 0x6b, 0x94, 0x20, 0x96, 0x20, 0x80]),
          `text/xml; charset=${charset}`,
        ),
      ).toBe('“ok” – €');
    },
  );

  it('reads undeclared Western high bytes as windows-1252', () => {
    expect(
      decodeFeedBytes(
        Buffer.from([
          0x3c, 0x61, 0x3e, 0x63, 0x61, 0x66, 0xe9, 0x20, 0x64, 0xe9, 0x6a, 0xe0, 0x20, 0x96, 0x20,
          0x93, 0x6f, 0x6b, 0x94,
        ]),
      ),
    ).toBe('<a>café déjà – “ok”');
  });

  it('repairs windows-1252 characters stored as C1 controls in UTF-8 (don\\x92t)', () => {
    expect(decodeFeedBytes(Buffer.from('<d>don\u0092t \u0093quote\u0094</d>', 'utf8'))).toBe(
      '<d>don\u2019t \u201cquote\u201d</d>',
    );
  });

  const doc = '<?xml version="1.0"?><rss><channel><title>Ташкент — 東京 😀</title></channel></rss>';
  const utf32 = (text: string, littleEndian: boolean, bom: boolean) => {
    const points = [...(bom ? '\uFEFF' : ''), ...text].map((c) => c.codePointAt(0)!);
    const bytes = Buffer.alloc(points.length * 4);
    for (const [i, p] of points.entries()) {
      if (littleEndian) bytes.writeUInt32LE(p, i * 4);
      else bytes.writeUInt32BE(p, i * 4);
    }
    return bytes;
  };
  const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

  it.each([
    ['UTF-32LE with a BOM', utf32(doc, true, true)],
    ['UTF-32BE with a BOM', utf32(doc, false, true)],
    ['UTF-32LE without a BOM', utf32(doc, true, false)],
    ['UTF-32BE without a BOM', utf32(doc, false, false)],
    ['UTF-16LE without a BOM', Buffer.from(doc, 'utf16le')],
    ['UTF-16BE without a BOM', utf16be(doc)],
  ])('reads %s from its first bytes', (_, bytes) => {
    expect(decodeFeedBytes(bytes)).toBe(doc);
  });
});

describe('charset sources', () => {
  it.each([
    ['text/xml; charset=utf-8', 'utf-8'],
    ['text/xml;charset="koi8-r"', 'koi8-r'],
    ["text/xml; Charset='cp1251'; foo=bar", 'cp1251'],
    ['text/xml', undefined],
    [undefined, undefined],
  ])('headerCharset(%j) is %j', (contentType, charset) => {
    expect(headerCharset(contentType)).toBe(charset);
  });

  it.each([
    ['<?xml version="1.0" encoding="windows-1251"?><rss/>', 'windows-1251'],
    ["  \n<?xml version='1.0' encoding='KOI8-R' standalone='yes'?>", 'KOI8-R'],
    ['<?xml version="1.0"?><rss encoding="koi8-r"/>', undefined],
    ['<rss/>', undefined],
  ])('declaredCharset(%j) is %j', (head, charset) => {
    expect(declaredCharset(Buffer.from(head))).toBe(charset);
  });
});
