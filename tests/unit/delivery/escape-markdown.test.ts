import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneLine, plainText } from '../../../src/delivery/briefing';
import {
  escapeMarkdown,
  markdownLink,
  neutraliseMentions,
} from '../../../src/delivery/escape-markdown';
import { hostileText, mentionsFormed } from './make-briefing';

const Z = '\u200b';

/** What Discord shows for escaped text: a backslash before punctuation is dropped, the character kept. */
const unescapeMarkdown = (text: string) => text.replace(/\\([^\p{L}\p{N}\s])/gu, '$1');

/** Markdown that would format: a special character not preceded by an escaping backslash. */
function unescapedSyntax(text: string): string[] {
  const found: string[] = [];
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      i++;
      lineStart = false;
      continue;
    }
    if ('*_~`|[]'.includes(c) || (lineStart && '#>-+'.includes(c))) found.push(`${c}@${i}`);
    if (c === '\n') lineStart = true;
    else if (!/\s/.test(c)) lineStart = false;
  }
  return found;
}

describe('escapeMarkdown', () => {
  it.each([
    [
      'bold and italics',
      '**bold** *it* __u__ _it_',
      '\\*\\*bold\\*\\* \\*it\\* \\_\\_u\\_\\_ \\_it\\_',
    ],
    ['strike-through', '~~gone~~', '\\~\\~gone\\~\\~'],
    ['inline code and code blocks', '`x` ```js', '\\`x\\` \\`\\`\\`js'],
    ['spoilers', '||secret||', '\\|\\|secret\\|\\|'],
    ['a masked link', '[click](http://evil.example)', '\\[click\\](http://evil.example)'],
    [
      'a title that tries to close our link',
      'News](http://evil.example)',
      'News\\](http://evil.example)',
    ],
    ['a heading', '# Breaking', '\\# Breaking'],
    ['subtext', '-# small', '\\-# small'],
    ['a block quote', '> quoted', '\\> quoted'],
    ['a multi-line block quote', '>>> everything after', '\\>>> everything after'],
    ['a bulleted list', '- one\n+ two', '\\- one\n\\+ two'],
    ['a numbered list', '1. first\n2. second', '1\\. first\n2\\. second'],
    ['an indented heading', 'text\n   # heading', 'text\n   \\# heading'],
    ['a backslash, so nothing after it is unescaped', 'C:\\path\\*', 'C:\\\\path\\\\\\*'],
    ['@everyone', '@everyone look', `@${Z}everyone look`],
    ['@here in any case', '@HERE and @Here', `@${Z}HERE and @${Z}Here`],
    ['a user mention', '<@123456789012345678>', `<${Z}@123456789012345678>`],
    ['a nickname mention', '<@!123>', `<${Z}@!123>`],
    ['a role mention', '<@&123>', `<${Z}@&123>`],
    ['a channel mention', '<#123>', `<${Z}#123>`],
    ['a slash command mention', '</briefing:123>', `<${Z}/briefing:123>`],
    ['custom emoji', '<:e:1> <a:e:1>', `<${Z}:e:1> <${Z}a:e:1>`],
    ['a timestamp', '<t:0:R>', `<${Z}t:0:R>`],
    ['a guild navigation link', '<id:customize>', `<${Z}id:customize>`],
    ['a terminal escape, whose ESC is dropped and bracket escaped', '\x1b[31mred', '\\[31mred'],
  ])('neutralises %s', (_title, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it.each([
    ['punctuation in the middle of a line', 'Baku-Tbilisi-Ceyhan: 4% up > 3 # 1. ok + more'],
    ['parentheses, which cannot form a link without a bracket', 'Uzbekistan (UZ) and (KZ)'],
    ['an e-mail address and a comparison', 'press@trend.az says a < b'],
    ['RTL text, emoji and combining marks', 'שלום مرحبا 👨‍👩‍👧 e\u0301'],
  ])('leaves %s alone', (_title, input) => {
    expect(escapeMarkdown(input)).toBe(input);
  });

  it('is lossless: Discord shows exactly the cleaned text', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        expect(unescapeMarkdown(escapeMarkdown(text)).replaceAll(Z, '')).toBe(
          plainText(text).replaceAll(Z, ''),
        );
      }),
    );
  });

  it('leaves no markdown that would format and no mention that would form', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const out = escapeMarkdown(text);
        expect(unescapedSyntax(out)).toEqual([]);
        expect(mentionsFormed(out)).toEqual([]);
      }),
    );
  });
});

describe('neutraliseMentions', () => {
  it('leaves markdown alone, for places Discord shows as plain text', () => {
    expect(neutraliseMentions('**Trend** @here <@&1>')).toBe(`**Trend** @${Z}here <${Z}@&1>`);
  });

  it('forms no mention from any cleaned text', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        expect(mentionsFormed(neutraliseMentions(oneLine(text)))).toEqual([]);
      }),
    );
  });
});

describe('markdownLink', () => {
  it('percent-encodes what could end the link or spell a mention in it', () => {
    expect(markdownLink('Title', 'https://x.example/a(b)[c]<d>@everyone|e`"f\\ g')).toBe(
      '[Title](https://x.example/a%28b%29%5Bc%5D%3Cd%3E%40everyone%7Ce%60%22f%5C%20g)',
    );
  });

  it('keeps ordinary URLs as they are', () => {
    const href = 'https://en.trend.az/centralasia/turkmenistan/3495081.html?utm_source=rss#top';
    expect(markdownLink('Title', href)).toBe(`[Title](${href})`);
  });
});
