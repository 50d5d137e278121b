import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, messageProblems } from '../../../src/delivery/discord-limits';
import { renderDiscordMessage, type DiscordMessage } from '../../../src/delivery/render-discord';
import { hostileBriefing, makeBriefing, mentionsFormed } from './make-briefing';

const ROLE = '123456789012345678';

/** Every piece of text Discord renders from an embed. */
function embedTexts(msg: DiscordMessage): string[] {
  return (msg.embeds ?? []).flatMap((e) => [
    e.title ?? '',
    e.description ?? '',
    e.author?.name ?? '',
    e.footer?.text ?? '',
    ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
  ]);
}

describe('renderDiscordMessage', () => {
  it('renders a briefing as one embed with title, link, source, summary, reasons, time and topics', () => {
    const msg = renderDiscordMessage(makeBriefing());
    expect(msg).toEqual({
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: 'Turkmenistan, UN discuss strategic cooperation',
          url: 'https://en.trend.az/centralasia/turkmenistan/3495081.html',
          author: { name: 'Trend — Central Asia' },
          description:
            'Turkmenistan and UN discussed strategic cooperation in a wide range of areas, Trend reports.',
          fields: [
            { name: 'Matched', value: 'UN Counter-Terrorism Office · Turkmenistan' },
            { name: 'Published', value: '<t:1634274720:R>', inline: true },
          ],
          footer: { text: 'Central Asia security' },
          timestamp: '2021-10-15T05:12:00.000Z',
        },
      ],
    });
    expect(messageProblems(msg)).toEqual([]);
  });

  it('pings the subscription role, and only that role, when one is given', () => {
    const msg = renderDiscordMessage(
      makeBriefing({ item: { title: '@everyone <@&999999999999999999>' } }),
      { mentionRoleId: ROLE },
    );
    expect(msg.content).toBe(`<@&${ROLE}>`);
    expect(msg.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(mentionsFormed(msg.embeds![0]!.title!)).toEqual([]);
  });

  it.each(['everyone', '<@&123>', '12345', '123456789012345678 '])(
    'refuses a mention role id that is not a snowflake: %j',
    (id) => {
      expect(() => renderDiscordMessage(makeBriefing(), { mentionRoleId: id })).toThrow(
        /snowflake/,
      );
    },
  );

  it.each([
    ['a javascript: link', 'javascript:alert(1)'],
    ['a data: link', 'data:text/html,x'],
    ['a link with credentials', 'https://bank.example@evil.example/'],
    ['no link', undefined],
  ])('leaves the title unlinked for %s', (_title, link) => {
    expect(renderDiscordMessage(makeBriefing({ item: { link } })).embeds![0]!.url).toBeUndefined();
  });

  it('escapes a title that tries to break out of markdown', () => {
    const title = '**Big** news](http://evil.example) `code` ||spoiler||';
    expect(renderDiscordMessage(makeBriefing({ item: { title } })).embeds![0]!.title).toBe(
      '\\*\\*Big\\*\\* news\\](http://evil.example) \\`code\\` \\|\\|spoiler\\|\\|',
    );
  });

  it('shows "(untitled)" for an item without a title, and omits what is empty', () => {
    const msg = renderDiscordMessage(
      makeBriefing({
        item: { title: ' \n ', publishedAt: 'not a date' },
        feedName: '',
        summary: '  ',
        topics: [],
      }),
    );
    expect(msg.embeds).toEqual([
      { title: '(untitled)', url: 'https://en.trend.az/centralasia/turkmenistan/3495081.html' },
    ]);
    expect(messageProblems(msg)).toEqual([]);
  });

  it('lists each distinct reason once, falling back to the topic name', () => {
    const topics = [
      { id: 'a', name: 'A', score: 1, why: 'Turkmenistan' },
      { id: 'b', name: 'B', score: 1, why: 'Turkmenistan' },
      { id: 'c', name: 'Only a name', score: 1, why: '' },
    ];
    const embed = renderDiscordMessage(makeBriefing({ topics })).embeds![0]!;
    expect(embed.fields![0]).toEqual({ name: 'Matched', value: 'Turkmenistan\nOnly a name' });
    expect(embed.footer).toEqual({ text: 'A · B · Only a name' });
  });

  it('keeps a 100 KB title, summary and source within every limit', () => {
    const huge = 'Central Asia '.repeat(8000);
    const topics = Array.from({ length: 30 }, (_, i) => ({
      id: `t${i}`,
      name: huge,
      score: i,
      why: `${i} ${huge}`,
    }));
    const msg = renderDiscordMessage(
      makeBriefing({ item: { title: huge }, summary: huge, feedName: huge, topics }),
    );
    const embed = msg.embeds![0]!;
    expect(messageProblems(msg)).toEqual([]);
    expect(embed.title).toMatch(/^Central Asia .* (Central|Asia)…$/);
    expect(embed.description!.length).toBeGreaterThan(DISCORD_LIMITS.description - 20);
  });

  it('stays within every limit and forms no mention, whatever the feed sends', () => {
    fc.assert(
      fc.property(
        hostileBriefing({ maxTopics: 5 }),
        fc.option(fc.constant(ROLE), { nil: undefined }),
        (b, mentionRoleId) => {
          const msg = renderDiscordMessage(b, { mentionRoleId });
          expect(messageProblems(msg)).toEqual([]);
          expect(msg.embeds).toHaveLength(1);
          expect(msg.allowed_mentions?.parse).toEqual([]);
          expect(msg.allowed_mentions?.roles).toEqual(mentionRoleId ? [ROLE] : undefined);
          expect(msg.content).toBe(mentionRoleId ? `<@&${ROLE}>` : undefined);
          expect(embedTexts(msg).flatMap(mentionsFormed)).toEqual([]);
          const url = msg.embeds![0]!.url;
          if (url !== undefined) expect(url).toMatch(/^https?:\/\//);
          expect(JSON.stringify(msg)).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/);
        },
      ),
      { numRuns: 200 },
    );
  });
});
