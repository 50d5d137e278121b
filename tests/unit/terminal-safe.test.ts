import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/terminal-safe';

describe('terminalSafe', () => {
  it.each([
    [
      'OSC 52 (clipboard write), BEL-terminated',
      'Talks\x1b]52;c;Y3VybCBldmlsCg==\x07 resume',
      'Talks resume',
    ],
    ['OSC 0 (window title), ST-terminated', 'a\x1b]0;pwned\x1b\\b', 'ab'],
    ['an OSC left open to the end of the line', 'a\x1b]2;title\nnext', 'a\nnext'],
    ['CSI clear screen and cursor moves', '\x1b[2J\x1b[H\x1b[10;5Hnews', 'news'],
    ['a hidden-text SGR (conceal)', '\x1b[8msecret\x1b[28m', 'secret'],
    ['C1 CSI and C1 OSC', 'a\x9b2Jb\x9d0;t\x9cc', 'abc'],
    ['DCS and APC strings', 'a\x1bPq#0\x1b\\b\x1b_app\x07c', 'abc'],
    ['two-character escapes (reset, index)', 'a\x1bcb\x1bDc', 'abc'],
    ['C0 controls but tab and newline, and DEL', 'a\x00b\x07c\x08d\re\tf\ng\x7f', 'abcde\tf\ng'],
    ['bidi overrides and isolates', 'invoice\u202Egnp.exe\u2066x\u2069', 'invoicegnp.exex'],
    [
      'text that needs nothing',
      'Туркменистан и ООН — 12 % «итог»',
      'Туркменистан и ООН — 12 % «итог»',
    ],
  ])('removes %s', (_name, text, expected) => {
    expect(terminalSafe(text)).toBe(expected);
  });

  it('keeps the colours the console renderer paints with', () => {
    const painted =
      '\x1b[1mTitle\x1b[22m \x1b[2mmeta\x1b[22m \x1b[36mlink\x1b[39m \x1b[33mMatched\x1b[39m';
    expect(terminalSafe(painted)).toBe(painted);
  });

  it('removes thousands of unterminated sequences, each introducer alone', () => {
    const hostile = `${'\x1b]'.repeat(50_000) + '\x1b['.repeat(50_000)}\nend`;
    expect(terminalSafe(hostile)).toBe('\nend');
  });
});
