import { describe, expect, it } from 'vitest';
import { oneLine, plainText, publishedDate, safeLink } from '../../../src/delivery/briefing';
import { makeBriefing } from './make-briefing';

describe('plainText', () => {
  it.each([
    ['Windows and old Mac line breaks become \\n', 'a\r\nb\rc', 'a\nb\nc'],
    ['Unicode line and paragraph separators become \\n', 'a\u2028b\u2029c\u0085d', 'a\nb\nc\nd'],
    ['terminal escapes lose their ESC', '\x1b[31mred\x1b[0m', '[31mred[0m'],
    ['NUL and other C0/C1 controls are dropped', 'a\u0000b\u0007c\u009bd', 'abcd'],
    ['bidi overrides and isolates are dropped', '\u202eevil\u202c \u2066x\u2069', 'evil x'],
    ['a lone surrogate becomes the replacement character', '\ud800x\udc00', '\ufffdx\ufffd'],
    [
      'emoji, combining marks, RTL text and zero-width spaces survive',
      '😀 e\u0301 שלום \u200b',
      '😀 e\u0301 שלום \u200b',
    ],
    [
      'tabs and newlines survive, vertical tab and form feed become spaces',
      'a\tb\nc\vd\fe',
      'a\tb\nc d e',
    ],
  ])('%s', (_title, input, expected) => {
    expect(plainText(input)).toBe(expected);
  });
});

describe('oneLine', () => {
  it('collapses every run of whitespace, line breaks included, and trims', () => {
    expect(oneLine('  Kazakhstan,\n\n Uzbekistan\t sign \u2028 agreement ')).toBe(
      'Kazakhstan, Uzbekistan sign agreement',
    );
  });
});

describe('safeLink', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['an https link is kept', 'https://en.trend.az/a.html', 'https://en.trend.az/a.html'],
    ['an http link is kept', 'http://example.com/', 'http://example.com/'],
    [
      'surrounding spaces are trimmed and inner ones encoded',
      ' https://example.com/a b ',
      'https://example.com/a%20b',
    ],
    ['a javascript: link is refused', 'javascript:alert(1)', undefined],
    [
      'a javascript: link in capitals with a leading space is refused',
      ' JAVASCRIPT:alert(1)',
      undefined,
    ],
    ['a data: link is refused', 'data:text/html,<b>x</b>', undefined],
    ['an ftp link is refused', 'ftp://example.com/file', undefined],
    ['a link with a user name is refused', 'https://bank.example@evil.example/', undefined],
    ['a link with a password is refused', 'https://user:pw@example.com/', undefined],
    ['a relative link is refused', '//example.com/path', undefined],
    ['text that is not a URL is refused', 'not a url', undefined],
    ['an empty link is refused', '', undefined],
    ['no link is no link', undefined, undefined],
    [
      'a link over 2048 characters is refused',
      `https://example.com/${'a'.repeat(2048)}`,
      undefined,
    ],
  ])('%s', (_title, link, expected) => {
    expect(safeLink(link)).toBe(expected);
  });
});

describe('publishedDate', () => {
  it.each<[string, string, string | undefined]>([
    ['an ISO date is read', '2021-10-15T05:12:00.000Z', '2021-10-15T05:12:00.000Z'],
    [
      'an RFC 822 date with an offset is read',
      'Fri, 15 Oct 2021 09:12:00 +0400',
      '2021-10-15T05:12:00.000Z',
    ],
    ['words are not a date', 'yesterday', undefined],
    ['an empty string is not a date', '', undefined],
    ['a date past year 9999 is refused', '+275760-09-13T00:00:00.000Z', undefined],
    ['a date before 1970 is refused', '1969-12-31T23:59:59Z', undefined],
  ])('%s', (_title, publishedAt, expected) => {
    expect(publishedDate(makeBriefing({ item: { publishedAt } }).item)?.toISOString()).toBe(
      expected,
    );
  });
});
