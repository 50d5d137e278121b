import fc from 'fast-check';
import type { APIStringSelectComponent } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { renderBriefingPage, SOURCES_MENU_ID } from '../../../src/discord/render/briefing-page';
import { replyProblems, type Reply } from '../../../src/discord/render/reply';
import { renderStorySources } from '../../../src/discord/render/story-sources';
import type { ListedStory } from '../../../src/services/story-listing';
import {
  hostileBriefing,
  hostileLink,
  hostileText,
  mentionsFormed,
} from '../delivery/make-briefing';

const runs = { numRuns: 60 };
const topic = {
  key: 'energy',
  id: 'energy',
  scope: 'global' as const,
  def: { id: 'energy', name: 'Energy', query: 'gas', minScore: 2 },
};

const hostileSource = fc.record({
  feedId: fc.constantFrom('gov', 'az', '300000000000000001_own'),
  feedName: hostileText(0),
  itemKey: fc.string({ minLength: 1, maxLength: 8 }),
  title: hostileText(),
  link: hostileLink,
  publishedAt: fc.constantFrom(
    '2026-11-21T09:00:00.000Z',
    'not a date',
    '+275760-09-13T00:00:00.000Z',
  ),
});

/** Stories as feeds could make them: hostile headlines, names and links, up to the 50 sources a story names. */
const hostileStory: fc.Arbitrary<ListedStory> = fc
  .record({
    id: fc.stringMatching(/^[0-9a-f]{16}$/),
    briefing: hostileBriefing({ maxTopics: 3 }),
    sources: fc.array(hostileSource, { maxLength: 50 }),
    extra: fc.nat({ max: 2000 }),
    atLeast: fc.boolean(),
    firstSeen: fc.constantFrom('2026-11-21T09:00:00.000Z', 'garbage'),
  })
  .map(({ id, briefing, sources, extra, atLeast, firstSeen }) => ({
    id,
    firstSeen,
    sources,
    sourceCount: sources.length + extra,
    atLeast,
    briefing: { ...briefing, story: { id, sources, count: sources.length + extra } },
  }));

const menuOf = (reply: Reply) =>
  (reply.components ?? [])
    .flatMap((row) => row.components)
    .find(
      (c): c is APIStringSelectComponent => 'custom_id' in c && c.custom_id === SOURCES_MENU_ID,
    );

describe("/briefing's story pages stay within Discord's limits whatever the feeds sent", () => {
  it('a page of up to ten hostile stories, with the menu that opens their sources', () => {
    fc.assert(
      fc.property(fc.array(hostileStory, { minLength: 1, maxLength: 10 }), (stories) => {
        const reply = renderBriefingPage({
          stories,
          briefings: stories.map((s) => s.briefing),
          total: 5000,
          storyCount: { count: 11, atLeast: true },
          page: 1,
          pagerId: 'abcDEF12',
          hasNext: true,
          topics: [topic],
          since: new Date(0),
        });
        expect(replyProblems(reply)).toEqual([]);
        const several = stories.filter((s) => s.sourceCount > 1 || s.atLeast);
        expect(reply.components).toHaveLength(several.length > 0 ? 2 : 1);
        const menu = menuOf(reply);
        expect(menu?.options.map((o) => o.value) ?? []).toEqual(several.map((s) => s.id));
        for (const o of menu?.options ?? []) {
          expect(o.label.trim().length).toBeGreaterThan(0);
          expect([...o.label].length).toBeLessThanOrEqual(100);
          expect([...(o.description ?? '')].length).toBeLessThanOrEqual(100);
        }
        const shown = (reply.embeds ?? []).map((e) => e.description ?? '').join('\n');
        expect(mentionsFormed(shown)).toEqual([]);
      }),
      runs,
    );
  });

  it("a story's sources, fifty of them with hostile names and links, in one private reply", () => {
    fc.assert(
      fc.property(hostileStory, (story) => {
        const reply = renderStorySources(story);
        expect(replyProblems(reply)).toEqual([]);
        const text = `${reply.embeds![0]!.title ?? ''}\n${reply.embeds![0]!.description ?? ''}`;
        expect(mentionsFormed(text.replace(/<t:\d+:R>/g, ''))).toEqual([]);
      }),
      runs,
    );
  });

  it('says how many stories and items, and "at least" while more may follow', () => {
    const page = (storyCount: { count: number; atLeast: boolean }, partial = false) =>
      renderBriefingPage({
        stories: [],
        briefings: [],
        total: 7,
        partial,
        storyCount,
        page: 0,
        pagerId: 'abcDEF12',
        hasNext: storyCount.atLeast,
        topics: [topic],
        since: new Date(0),
      }).content;
    expect(page({ count: 6, atLeast: true })).toMatch(
      /^\*\*Energy\*\*: at least 6 stories \(7 items\) since/,
    );
    expect(page({ count: 1, atLeast: false })).toMatch(
      /^\*\*Energy\*\*: 1 story \(7 items\) since/,
    );
    expect(page({ count: 3, atLeast: false }, true)).toContain('3 stories (at least 7 items)');
  });

  it('names a story of many sources "at least" when some are past the ones it names', () => {
    const story: ListedStory = {
      id: '0123456789abcdef',
      firstSeen: '2026-11-21T09:00:00.000Z',
      sources: [],
      sourceCount: 50,
      atLeast: true,
      briefing: {
        item: {
          key: 'k',
          storyKey: 'k',
          feedId: 'gov',
          title: 'Pipeline deal',
          description: '',
          text: '',
          categories: [],
          publishedAt: '2026-11-21T09:00:00.000Z',
          fetchedAt: '2026-11-21T09:00:00.000Z',
        },
        feedName: 'Energy Ministry',
        summary: '',
        topics: [],
      },
    };
    expect(renderStorySources(story).embeds![0]!.footer?.text).toBe(
      'at least 50 sources · first seen',
    );
  });
});
