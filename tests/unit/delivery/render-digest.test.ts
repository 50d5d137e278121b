import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, embedLength, messageProblems } from '../../../src/delivery/discord-limits';
import type { DiscordMessage } from '../../../src/delivery/render-discord';
import {
  DIGEST_MAX_MESSAGES,
  renderDigest,
  type DigestOptions,
} from '../../../src/delivery/render-digest';
import { hostileBriefing, hostileText, makeBriefing, mentionsFormed } from './make-briefing';

const OPTIONS: DigestOptions = {
  topicName: 'Central Asia',
  topicId: 'central-asia',
  sinceLabel: '24h',
};
const ROLE = '123456789012345678';

const descriptionLines = (msgs: DiscordMessage[]) =>
  msgs.flatMap((m) => (m.embeds ?? []).flatMap((e) => (e.description ?? '').split('\n')));
const itemLines = (msgs: DiscordMessage[]) =>
  descriptionLines(msgs).filter((l) => l.startsWith('• '));
const moreLines = (msgs: DiscordMessage[]) =>
  descriptionLines(msgs).filter((l) => /^\\\+\d+ more — /.test(l));
const moreCount = (msgs: DiscordMessage[]) =>
  Number(moreLines(msgs)[0]?.match(/^\\\+(\d+)/)?.[1] ?? 0);
const messageTotal = (m: DiscordMessage) =>
  (m.embeds ?? []).reduce((n, e) => n + embedLength(e), 0);

/** `count` briefings, one a minute from 05:00, each a distinct item. */
const series = (
  count: number,
  title = (i: number) => `Item ${i}: Kazakhstan and Uzbekistan sign a transport agreement`,
) =>
  Array.from({ length: count }, (_, i) =>
    makeBriefing({
      item: {
        key: `k${i}`,
        title: title(i),
        link: `https://en.trend.az/centralasia/${i}.html`,
        publishedAt: new Date(Date.UTC(2021, 9, 15, 5, i)).toISOString(),
      },
    }),
  );

describe('renderDigest', () => {
  it('renders nothing for no briefings', () => {
    expect(renderDigest([], OPTIONS)).toEqual([]);
  });

  it('lists a few briefings newest first in one message, one linked line each', () => {
    const [first, second, third] = series(3);
    const msgs = renderDigest([second!, first!, third!], OPTIONS);
    expect(msgs).toEqual([
      {
        allowed_mentions: { parse: [] },
        embeds: [
          {
            title: 'Central Asia — last 24h',
            description: [
              '• [Item 2: Kazakhstan and Uzbekistan sign a transport agreement](https://en.trend.az/centralasia/2.html) · Trend — Central Asia · <t:1634274120:R>',
              '• [Item 1: Kazakhstan and Uzbekistan sign a transport agreement](https://en.trend.az/centralasia/1.html) · Trend — Central Asia · <t:1634274060:R>',
              '• [Item 0: Kazakhstan and Uzbekistan sign a transport agreement](https://en.trend.az/centralasia/0.html) · Trend — Central Asia · <t:1634274000:R>',
            ].join('\n'),
          },
        ],
      },
    ]);
  });

  it('puts items without a usable date last, in the order given', () => {
    const undated = (title: string) => makeBriefing({ item: { title, publishedAt: 'unknown' } });
    const lines = itemLines(renderDigest([undated('A'), ...series(1), undated('B')], OPTIONS));
    expect(lines.map((l) => l.match(/^• \[?(\w+)/)?.[1])).toEqual(['Item', 'A', 'B']);
  });

  it.each([
    ['a javascript: link', 'javascript:alert(1)'],
    ['a link longer than 512 characters', `https://en.trend.az/${'a'.repeat(600)}`],
    ['no link', undefined],
  ])('shows the title unlinked for %s', (_title, link) => {
    const [line] = itemLines(
      renderDigest([makeBriefing({ item: { link, title: 'Plain' } })], OPTIONS),
    );
    expect(line).toBe('• Plain · Trend — Central Asia · <t:1634274720:R>');
  });

  it('keeps a title that tries to close the link inside the link text', () => {
    const [line] = itemLines(
      renderDigest([makeBriefing({ item: { title: 'x](http://evil.example) @here' } })], OPTIONS),
    );
    expect(line).toBe(
      '• [x\\](http://evil.example) @\u200bhere](https://en.trend.az/centralasia/turkmenistan/3495081.html) · Trend — Central Asia · <t:1634274720:R>',
    );
  });

  it('pings the subscription role in the first message only', () => {
    const msgs = renderDigest(series(400), { ...OPTIONS, mentionRoleId: ROLE });
    expect(msgs.map((m) => m.content)).toEqual([`<@&${ROLE}>`, undefined, undefined]);
    expect(msgs.map((m) => m.allowed_mentions)).toEqual([
      { parse: [], roles: [ROLE] },
      { parse: [] },
      { parse: [] },
    ]);
  });

  it('stops at three full messages and says how many more there are and how to see them', () => {
    const msgs = renderDigest(series(1000), OPTIONS);
    expect(msgs).toHaveLength(DIGEST_MAX_MESSAGES);
    expect(msgs.flatMap(messageProblems)).toEqual([]);
    const shown = itemLines(msgs).length;
    expect(shown).toBeGreaterThan(100);
    expect(moreLines(msgs)).toEqual([
      `\\+${1000 - shown} more — /briefing topic:central-asia since:24h`,
    ]);
    expect(descriptionLines(msgs).at(-1)).toBe(moreLines(msgs)[0]);
  });

  it('shows everything without a "more" line when it fits in three messages', () => {
    const msgs = renderDigest(series(60), OPTIONS);
    expect(itemLines(msgs)).toHaveLength(60);
    expect(moreLines(msgs)).toEqual([]);
    expect(msgs.length).toBeLessThanOrEqual(DIGEST_MAX_MESSAGES);
  });

  it('keeps 100 KB titles and source names to one short line each', () => {
    const huge = 'Turkmenistan '.repeat(8000);
    const msgs = renderDigest(
      series(5, () => huge).map((b) => ({ ...b, feedName: huge })),
      OPTIONS,
    );
    expect(msgs).toHaveLength(1);
    expect(itemLines(msgs)).toHaveLength(5);
    expect(msgs.flatMap(messageProblems)).toEqual([]);
  });

  it('stays within every limit, loses no count and forms no mention, whatever the feeds send', () => {
    const options = fc.record({
      topicName: hostileText(0),
      topicId: hostileText(0),
      sinceLabel: hostileText(0),
      mentionRoleId: fc.option(fc.constant(ROLE), { nil: undefined }),
    });
    // A failure shrinks only by taking fewer items: a few dozen steps, where shrinking each of
    // hundreds of hostile items would take minutes.
    const briefingList = fc
      .tuple(
        fc.noShrink(
          fc.array(hostileBriefing({ hugeWeight: 0, maxTopics: 0 }), {
            minLength: 300,
            maxLength: 300,
          }),
        ),
        fc.nat({ max: 300 }),
      )
      .map(([all, count]) => all.slice(0, count));
    fc.assert(
      fc.property(briefingList, options, (briefings, opts) => {
        const msgs = renderDigest(briefings, opts);
        expect(msgs.flatMap(messageProblems)).toEqual([]);
        expect(msgs.length).toBeLessThanOrEqual(DIGEST_MAX_MESSAGES);
        expect(msgs.map((m) => m.allowed_mentions?.parse)).toEqual(msgs.map(() => []));
        expect(itemLines(msgs).length + moreCount(msgs)).toBe(briefings.length);
        expect(moreLines(msgs).length).toBeLessThanOrEqual(1);
        if (moreCount(msgs) > 0) expect(msgs).toHaveLength(DIGEST_MAX_MESSAGES);
        const texts = msgs.flatMap((m) =>
          (m.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '']),
        );
        expect(texts.flatMap(mentionsFormed)).toEqual([]);
        // As few messages as the limits allow: a message ends only when the next line would not fit.
        msgs.slice(0, -1).forEach((m, i) => {
          const next = msgs[i + 1]!.embeds![0]!.description!.split('\n')[0]!;
          expect(messageTotal(m) + next.length).toBeGreaterThan(DISCORD_LIMITS.embedTotal);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('renderDigest for a compact subscription', () => {
  const COMPACT: DigestOptions = { ...OPTIONS, layout: 'compact' };
  const lines = (msgs: DiscordMessage[]) =>
    msgs.flatMap((m) => (m.content ?? '').split('\n')).filter((l) => l.startsWith('• '));

  it('is plain text: a bold heading and one line per briefing with source and unpreviewed link', () => {
    const [first, second] = series(2);
    expect(renderDigest([first!, second!], COMPACT)).toEqual([
      {
        allowed_mentions: { parse: [] },
        content: [
          '**Central Asia — last 24h**',
          '• **Item 1: Kazakhstan and Uzbekistan sign a transport agreement** · Trend — Central Asia · <https://en.trend.az/centralasia/1.html>',
          '• **Item 0: Kazakhstan and Uzbekistan sign a transport agreement** · Trend — Central Asia · <https://en.trend.az/centralasia/0.html>',
        ].join('\n'),
      },
    ]);
  });

  it('pings the role once, in the first message', () => {
    const msgs = renderDigest(series(80), { ...COMPACT, mentionRoleId: ROLE });
    expect(msgs[0]!.content!.startsWith(`<@&${ROLE}>\n`)).toBe(true);
    expect(msgs[0]!.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    for (const m of msgs.slice(1)) expect(m.allowed_mentions).toEqual({ parse: [] });
  });

  it.each([5, 40, 400])(
    '%i briefings: at most three messages within the limits, and shown + "more" is every briefing',
    (count) => {
      const msgs = renderDigest(series(count), COMPACT);
      expect(msgs.length).toBeLessThanOrEqual(DIGEST_MAX_MESSAGES);
      for (const m of msgs) {
        expect(messageProblems(m)).toEqual([]);
        expect(m.embeds).toBeUndefined();
      }
      const more = msgs
        .at(-1)!
        .content!.split('\n')
        .at(-1)!
        .match(/^\\\+(\d+) more — \/briefing topic:central-asia since:24h$/);
      expect(lines(msgs).length + Number(more?.[1] ?? 0)).toBe(count);
      expect(more !== null).toBe(count === 400);
    },
  );

  it('whatever the feeds send, stays within the limits and forms no mention', () => {
    fc.assert(
      fc.property(fc.array(hostileBriefing({ maxTopics: 0 }), { maxLength: 60 }), (briefings) => {
        const msgs = renderDigest(briefings, COMPACT);
        for (const m of msgs) {
          expect(messageProblems(m)).toEqual([]);
          expect(mentionsFormed(m.content ?? '')).toEqual([]);
        }
      }),
      { numRuns: 50 },
    );
  });
});
