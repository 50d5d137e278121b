import { describe, expect, it } from 'vitest';
import type { BriefingStory } from '../../../src/delivery/briefing';
import { DISCORD_LIMITS, embedLength, messageProblems } from '../../../src/delivery/discord-limits';
import { renderDigest } from '../../../src/delivery/render-digest';
import { renderDiscordMessage } from '../../../src/delivery/render-discord';
import { renderCompact } from '../../../src/delivery/render-layout';
import {
  renderLaterSources,
  SOURCES_FIELD,
  withSources,
} from '../../../src/delivery/render-sources';
import { alsoReportedBy } from '../../../src/delivery/story-briefing';
import { makeBriefing } from './make-briefing';

const source = (n: number, feedName = `Outlet ${n}`) => ({
  feedId: `feed-${n}`,
  feedName,
  itemKey: `item-${n}`,
  title: `Headline ${n}`,
});
const storyOf = (count: number, extra = 0): BriefingStory => ({
  id: 'story-1',
  sources: Array.from({ length: count }, (_, i) => source(i + 1)),
  count: count + extra,
});

describe('also reported by', () => {
  it.each([
    ['no other source', storyOf(1), undefined],
    ['two others', storyOf(3), 'Outlet 2 · Outlet 3'],
    [
      'more than four others are counted',
      storyOf(7),
      'Outlet 2 · Outlet 3 · Outlet 4 · Outlet 5 · +2',
    ],
    ['sources beyond the stored list are counted too', storyOf(2, 3), 'Outlet 2 · +3'],
  ])('%s', (_, story, expected) => {
    expect(alsoReportedBy(story, 'item-1')).toBe(expected);
  });

  it('names a feed once, and never the feed of the briefed item', () => {
    const story: BriefingStory = {
      id: 's',
      sources: [
        source(1, 'UN News'),
        { ...source(2, 'Kazinform') },
        { ...source(3, 'Kazinform'), feedId: 'feed-2' },
        { ...source(4, 'UN News'), feedId: 'feed-1' },
      ],
      count: 4,
    };
    expect(alsoReportedBy(story, 'item-1')).toBe('Kazinform');
  });
});

describe('a story post listing its sources', () => {
  it('lists them in a field of their own, replacing an earlier list', () => {
    const message = renderDiscordMessage(makeBriefing());
    const once = withSources(message, 'Kazinform');
    const twice = withSources(once, 'Kazinform · UN News · +3');
    const fields = twice.embeds![0]!.fields!.filter((f) => f.name === SOURCES_FIELD);
    expect(fields).toEqual([{ name: SOURCES_FIELD, value: 'Kazinform · UN News · +3' }]);
  });

  it('stays within the 6000-character total when the summary already fills the embed', () => {
    const message = renderDiscordMessage(makeBriefing({ summary: 'word '.repeat(3000) }));
    const names = Array.from({ length: 300 }, (_, i) => `Outlet ${i}`).join(' · ');
    const shown = withSources(message, names);
    expect(embedLength(shown.embeds![0]!)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(shown.embeds![0]!.fields!.at(-1)!.value.length).toBeLessThanOrEqual(
      DISCORD_LIMITS.fieldValue,
    );
    expect(messageProblems(shown)).toEqual([]);
  });

  it('feed names cannot ping anyone or break out of the field', () => {
    const shown = withSources(renderDiscordMessage(makeBriefing()), '@everyone · **Bold** <@&1>');
    const value = shown.embeds![0]!.fields!.at(-1)!.value;
    expect(value).not.toContain('@everyone');
    expect(value).not.toContain('**Bold**');
  });
});

describe('a compact line listing its sources', () => {
  it('gains one small-text line, replaced when the list grows', () => {
    const line = renderCompact(makeBriefing());
    const twice = withSources(withSources(line, 'Kazinform'), 'Kazinform · UN News');
    expect(twice.embeds).toBeUndefined();
    expect(twice.content).toBe(`${line.content}\n-# ${SOURCES_FIELD}: Kazinform · UN News`);
  });

  it('stays within 2000 characters however long the list, and pings nobody', () => {
    const line = renderCompact(makeBriefing({ item: { title: 'long headline '.repeat(20) } }));
    const names = ['@everyone', ...Array.from({ length: 300 }, (_, i) => `Outlet ${i}`)];
    const shown = withSources(line, names.join(' · '));
    expect(shown.content!.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(shown.content).not.toContain('@everyone');
    expect(shown.content!.startsWith(line.content!)).toBe(true);
    expect(messageProblems(shown)).toEqual([]);
  });
});

describe('later sources told in a forum post or thread', () => {
  it('one line per source: its headline linked, and its feed', () => {
    const message = renderLaterSources([
      { title: 'Berth opens', feedName: 'Port Authority', link: 'https://port.example/berth' },
      { title: 'No link here', feedName: 'Gazette' },
    ]);
    expect(message.embeds).toEqual([
      {
        title: SOURCES_FIELD,
        description:
          '• [Berth opens](https://port.example/berth) · Port Authority\n• No link here · Gazette',
      },
    ]);
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('feed text cannot ping, break the link or run past the embed: the rest is counted', () => {
    const hostile = Array.from({ length: 60 }, (_, i) => ({
      title: `@everyone [click](https://evil.example) ${'x'.repeat(300)} ${i}`,
      feedName: '<@&123> Feed',
      link: 'javascript:alert(1)',
    }));
    const message = renderLaterSources(hostile);
    const description = message.embeds![0]!.description!;
    expect(messageProblems(message)).toEqual([]);
    expect(description).not.toContain('@everyone');
    expect(description).not.toContain('<@&');
    expect(description).not.toContain('javascript:');
    expect(description).toMatch(/\n\+\d+ more$/);
  });
});

describe('a digest', () => {
  it('lists a story once, with its other sources on its line', () => {
    const briefing = makeBriefing({
      story: {
        ...storyOf(3),
        sources: [
          { ...source(1), itemKey: 'trend-central-asia:3495081' },
          source(2, 'Kazinform'),
          source(3, 'UN News'),
        ],
      },
    });
    const [message] = renderDigest([briefing], {
      topicName: 'Security',
      topicId: 'sec',
      sinceLabel: '24h',
    });
    const lines = message!.embeds![0]!.description!.split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('also Kazinform · UN News');
  });
});
