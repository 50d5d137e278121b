import fc from 'fast-check';
import type { Briefing } from '../../../src/delivery/briefing';
import type { Item } from '../../../src/domain/item';

/** A real-looking briefing (from the Trend fixture feed), with any part replaced. */
export function makeBriefing(
  over: Partial<Omit<Briefing, 'item'>> & { item?: Partial<Item> } = {},
): Briefing {
  const { item, ...rest } = over;
  return {
    item: {
      key: 'trend-central-asia:3495081',
      storyKey: 'en.trend.az/centralasia/turkmenistan/3495081.html',
      feedId: 'trend-central-asia',
      guid: 'https://en.trend.az/centralasia/turkmenistan/3495081.html',
      link: 'https://en.trend.az/centralasia/turkmenistan/3495081.html',
      title: 'Turkmenistan, UN discuss strategic cooperation',
      description: 'Turkmenistan and UN discussed strategic cooperation in a wide range of areas.',
      text: 'Turkmenistan and UN discussed strategic cooperation in a wide range of areas.',
      categories: ['Turkmenistan', 'Politics'],
      publishedAt: '2021-10-15T05:12:00.000Z',
      fetchedAt: '2021-10-15T05:20:00.000Z',
      ...item,
    },
    feedName: 'Trend — Central Asia',
    summary:
      'Turkmenistan and UN discussed strategic cooperation in a wide range of areas, Trend reports.',
    topics: [
      {
        id: 'ca-security',
        name: 'Central Asia security',
        score: 3.5,
        why: 'UN Counter-Terrorism Office · Turkmenistan',
      },
    ],
    ...rest,
  };
}

/** Fragments written to break out of markdown, ping people, steer a terminal or split characters. */
export const INJECTIONS = [
  '@everyone',
  '@here',
  '@EveryOne',
  '@@here',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  '<@&123456789012345678>',
  '<#123456789012345678>',
  '</briefing:123>',
  '<:emoji:123>',
  '<a:emoji:123>',
  '<t:0:R>',
  '<id:customize>',
  '](http://evil.example)',
  '[click](http://evil.example)',
  '`',
  '```',
  '||',
  '**',
  '__',
  '~~',
  '\\',
  '# ',
  '-# ',
  '> ',
  '>>> ',
  '- ',
  '+ ',
  '1. ',
  '\n',
  '\r\n',
  ' ',
  '\u2028',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2066',
  '\u0301',
  'e\u0301',
  '😀',
  '👨‍👩‍👧',
  '\ud800',
  '\udfff',
  '\u0000',
  '\x1b[31m',
  '\x1b]8;;http://evil\x07',
  'مرحبا',
  'שלום',
  'javascript:alert(1)',
  'https://x.example/@everyone',
];

/** Unicode of every kind, injection soup, lone surrogates, and now and then 100 KB of it. */
export function hostileText(hugeWeight = 1): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
    {
      weight: 5,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 6 })), {
          maxLength: 80,
          size: 'medium',
        })
        .map((parts) => parts.join('')),
    },
    {
      weight: 1,
      arbitrary: fc.string({
        unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      }),
    },
    {
      weight: hugeWeight,
      // Mapped from (fragment, length), so a failure shrinks the length, not 100 KB character by character.
      arbitrary: fc
        .tuple(
          fc.constantFrom(...INJECTIONS, 'word ', 'x'),
          fc.integer({ min: 5_000, max: 100_000 }),
        )
        .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n)),
    },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

export const hostileLink: fc.Arbitrary<string | undefined> = fc.option(
  fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.constantFrom(
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<b>x</b>',
      'https://x.example/@everyone',
      'https://bank.example@evil.example/',
      'http://x.example/a(b)[c]<d>`e`|f|"g"\\h',
      `https://x.example/${'a'.repeat(3000)}`,
      `https://x.example/${'('.repeat(700)}`,
      '',
      '//x.example/path',
    ),
    hostileText(0),
  ),
  { nil: undefined },
);

const hostileDate = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '',
    'yesterday',
    'Fri, 15 Oct 2021 09:12:00 +0400',
    '+275760-09-13T00:00:00.000Z',
    '1969-12-31T23:59:59Z',
  ),
  hostileText(0),
);

export function hostileBriefing({ hugeWeight = 1, maxTopics = 30 } = {}): fc.Arbitrary<Briefing> {
  const text = hostileText(hugeWeight);
  return fc.record({
    item: fc.record({
      key: fc.string({ minLength: 1 }),
      storyKey: fc.string({ minLength: 1 }),
      feedId: fc.string({ minLength: 1 }),
      link: hostileLink,
      title: text,
      description: fc.constant(''),
      text: fc.constant(''),
      categories: fc.constant([]),
      publishedAt: hostileDate,
      fetchedAt: fc.constant('2021-10-15T05:20:00.000Z'),
    }),
    feedName: text,
    summary: text,
    topics: fc.array(fc.record({ id: text, name: text, score: fc.double(), why: text }), {
      maxLength: maxTopics,
    }),
  });
}

/**
 * Where feed text would have made a mention or broken out into Discord syntax: mass mentions,
 * `<@…>`/`<@!…>`/`<@&…>` users and roles, `<#…>` channels, `</…>` commands, `<:…>` emoji.
 */
export function mentionsFormed(text: string): string[] {
  const found = text.match(/@(everyone|here)|<[@#/]|<a?:|<id:/gi);
  return found ?? [];
}
