import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clip,
  DISCORD_LIMITS,
  ELLIPSIS,
  embedLength,
  messageProblems,
} from '../../../src/delivery/discord-limits';
import type { DiscordMessage } from '../../../src/delivery/render-discord';
import { hostileText } from './make-briefing';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('clip', () => {
  it.each([
    ['text that fits is returned unchanged', 'short', 10, 'short'],
    ['text exactly at the limit is unchanged', 'exactly10!', 10, 'exactly10!'],
    [
      'a cut that lands on a space keeps the whole word before it',
      'hello world again',
      12,
      'hello world…',
    ],
    ['a cut inside a word backs off to the previous word', 'hello world again', 10, 'hello…'],
    ['a word with no boundary is cut mid-word', 'supercalifragilistic', 8, 'superca…'],
    [
      'a boundary in the first half is not worth the loss',
      'a verylongwordwithoutspaces',
      10,
      'a verylon…',
    ],
    ['a surrogate pair is never split', '😀😀😀', 4, '😀…'],
    ['trailing spaces before the ellipsis are dropped', 'word      next words', 12, 'word…'],
    ['a limit of one leaves only the ellipsis', 'anything', 1, '…'],
    ['a limit of zero leaves nothing', 'anything', 0, ''],
    ['empty text stays empty', '', 5, ''],
  ])('%s', (_title, text, max, expected) => {
    expect(clip(text, max)).toBe(expected);
  });

  it('never exceeds the limit, keeps a prefix, and never creates a broken surrogate', () => {
    fc.assert(
      fc.property(hostileText(), fc.integer({ min: 0, max: 5000 }), (text, max) => {
        const out = clip(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        if (text.length <= max) {
          expect(out).toBe(text);
        } else if (max === 0) {
          expect(out).toBe('');
        } else {
          expect(out.endsWith(ELLIPSIS)).toBe(true);
          expect(text.startsWith(out.slice(0, -1))).toBe(true);
          if (!LONE_SURROGATE.test(text)) expect(out).not.toMatch(LONE_SURROGATE);
        }
      }),
    );
  });
});

const valid = (): DiscordMessage => ({
  allowed_mentions: { parse: [] },
  embeds: [
    {
      title: 'Title',
      url: 'https://example.com/a',
      description: 'Description',
      author: { name: 'Source' },
      fields: [{ name: 'Matched', value: 'Why' }],
      footer: { text: 'Topic' },
      timestamp: '2021-10-15T05:12:00.000Z',
    },
  ],
});

describe('messageProblems', () => {
  it('finds nothing wrong with a well-formed message', () => {
    expect(messageProblems(valid())).toEqual([]);
  });

  it.each<[string, (m: DiscordMessage) => void, RegExp]>([
    [
      'content over 2000',
      (m) => {
        m.content = 'x'.repeat(2001);
      },
      /content is 2001/,
    ],
    [
      'more than 10 embeds',
      (m) => {
        m.embeds = Array.from({ length: 11 }, () => ({ description: 'x' }));
      },
      /11 embeds/,
    ],
    [
      'a title over 256',
      (m) => {
        m.embeds![0]!.title = 'x'.repeat(257);
      },
      /title is 257/,
    ],
    [
      'a description over 4096',
      (m) => {
        m.embeds![0]!.description = 'x'.repeat(4097);
      },
      /description is 4097/,
    ],
    [
      'more than 25 fields',
      (m) => {
        m.embeds![0]!.fields = Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' }));
      },
      /26 fields/,
    ],
    [
      'a field name over 256',
      (m) => {
        m.embeds![0]!.fields![0]!.name = 'x'.repeat(257);
      },
      /fields\[0\]\.name is 257/,
    ],
    [
      'a field value over 1024',
      (m) => {
        m.embeds![0]!.fields![0]!.value = 'x'.repeat(1025);
      },
      /fields\[0\]\.value is 1025/,
    ],
    [
      'a blank field value',
      (m) => {
        m.embeds![0]!.fields![0]!.value = ' \n ';
      },
      /fields\[0\]\.value is empty/,
    ],
    [
      'an empty field name',
      (m) => {
        m.embeds![0]!.fields![0]!.name = '';
      },
      /fields\[0\]\.name is empty/,
    ],
    [
      'a footer over 2048',
      (m) => {
        m.embeds![0]!.footer = { text: 'x'.repeat(2049) };
      },
      /footer\.text is 2049/,
    ],
    [
      'an empty footer',
      (m) => {
        m.embeds![0]!.footer = { text: '' };
      },
      /footer\.text is empty/,
    ],
    [
      'an author name over 256',
      (m) => {
        m.embeds![0]!.author = { name: 'x'.repeat(257) };
      },
      /author\.name is 257/,
    ],
    [
      'more than 6000 across embeds',
      (m) => {
        m.embeds = [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2001) }];
      },
      /total 6001/,
    ],
    [
      'a javascript: url',
      (m) => {
        m.embeds![0]!.url = 'javascript:alert(1)';
      },
      /url is not http/,
    ],
    [
      'a url over 2048',
      (m) => {
        m.embeds![0]!.url = `https://x.example/${'a'.repeat(2048)}`;
      },
      /url is 2066/,
    ],
    [
      'a timestamp that is not a date',
      (m) => {
        m.embeds![0]!.timestamp = 'yesterday';
      },
      /timestamp is not a date/,
    ],
    [
      'an embed that shows nothing',
      (m) => {
        m.embeds = [{ url: 'https://example.com' }];
      },
      /shows nothing/,
    ],
    [
      'neither content nor embeds',
      (m) => {
        m.embeds = [];
      },
      /neither content nor embeds/,
    ],
    [
      'no allowed_mentions at all',
      (m) => {
        delete m.allowed_mentions;
      },
      /allowed_mentions/,
    ],
    [
      'allowed_mentions that parse @everyone',
      (m) => {
        m.allowed_mentions = { parse: ['everyone' as never] };
      },
      /allowed_mentions/,
    ],
  ])('reports %s', (_title, spoil, expected) => {
    const msg = valid();
    spoil(msg);
    const problems = messageProblems(msg);
    expect(
      problems.some((p) => expected.test(p)),
      problems.join('; '),
    ).toBe(true);
  });

  it('counts every text part of an embed towards the total', () => {
    expect(embedLength(valid().embeds![0]!)).toBe('TitleDescriptionSourceMatchedWhyTopic'.length);
  });

  it('allows exactly the limits', () => {
    const atLimit: DiscordMessage = {
      content: 'x'.repeat(DISCORD_LIMITS.content),
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: 'x'.repeat(DISCORD_LIMITS.title),
          description: 'x'.repeat(DISCORD_LIMITS.description),
        },
        { description: 'x'.repeat(6000 - 256 - 4096) },
      ],
    };
    expect(messageProblems(atLimit)).toEqual([]);
  });
});
