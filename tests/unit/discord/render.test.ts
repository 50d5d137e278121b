import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopicEntry } from '../../../src/catalog/live-catalog';
import { parsePageButton, renderBriefingPage } from '../../../src/discord/render/briefing-page';
import { renderBacktest } from '../../../src/discord/render/backtest';
import { renderFeedList, renderFeedStatus } from '../../../src/discord/render/feeds';
import { itemEmbeds } from '../../../src/discord/render/item-embeds';
import { replyProblems, type Reply } from '../../../src/discord/render/reply';
import { renderSubscribed, renderTopics } from '../../../src/discord/render/topics';
import type { Subscription } from '../../../src/store/subscriptions';
import {
  hostileBriefing,
  hostileText,
  makeBriefing,
  mentionsFormed,
} from '../delivery/make-briefing';

const G = '300000000000000001';
const CH = '300000000000000011';
const runs = { numRuns: 60 };

const hostileTopic: fc.Arbitrary<TopicEntry> = fc
  .record({
    id: hostileText(0),
    name: hostileText(0),
    query: hostileText(0),
    scope: fc.constantFrom('global' as const, 'guild' as const),
  })
  .map(({ id, name, query, scope }) => ({
    key: id,
    id,
    scope,
    def: { id, name, query, minScore: 2 },
  }));

const hostileSub: fc.Arbitrary<Subscription> = fc
  .record({
    topicId: hostileText(0),
    mode: fc.constantFrom('instant' as const, 'digest' as const),
    reason: fc.option(hostileText(0), { nil: undefined }),
  })
  .map(({ topicId, mode, reason }) => ({
    guildId: G,
    channelId: CH,
    topicId,
    mode,
    digestTime: mode === 'digest' ? '08:00' : undefined,
    createdAt: '',
    ...(reason === undefined ? {} : { paused: { reason, since: '2026-11-28T00:00:00Z' } }),
  }));

/** Text Discord would show as markdown (content, titles, descriptions, field values): no mention may form there from feed text. */
const shownText = (r: Reply) =>
  [r.content ?? '', ...(r.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? ''])].join(
    '\n',
  );

describe("command replies stay within Discord's limits whatever the feeds and admins typed", () => {
  it('a page of up to ten hostile items', () => {
    fc.assert(
      fc.property(
        fc.array(hostileBriefing({ maxTopics: 3 }), { maxLength: 12 }),
        fc.array(hostileTopic, { minLength: 1, maxLength: 3 }),
        hostileText(0),
        (briefings, topics, text) => {
          const reply = renderBriefingPage({
            briefings,
            total: briefings.length,
            page: 1,
            pagerId: 'abcDEF12',
            hasNext: true,
            topics,
            since: new Date(0),
            text,
          });
          expect(replyProblems(reply)).toEqual([]);
          expect(reply.embeds!.length).toBe(Math.min(10, briefings.length));
          expect(mentionsFormed(shownText(reply).replace(/<t:\d+:R>/g, ''))).toEqual([]);
        },
      ),
      runs,
    );
  });

  it('/topics and /feed status with hundreds of hostile entries', () => {
    fc.assert(
      fc.property(
        fc.array(hostileTopic, { maxLength: 200 }),
        fc.array(hostileSub, { maxLength: 200 }),
        hostileText(0),
        (topics, subs, name) => {
          expect(replyProblems(renderTopics(topics, subs, () => name))).toEqual([]);
          const feeds = subs.map((s, i) => ({
            feed: {
              id: `f${i}`,
              url: 'https://example.org/rss',
              name: name || 'x',
              addedBy: '1',
              addedAt: '',
            },
            state: {
              failures: i % 3,
              lastError: s.topicId,
              failingSince: '2026-11-28T00:00:00Z',
              lastFetchAt: '2026-11-28T00:00:00Z',
            },
          }));
          expect(replyProblems(renderFeedStatus({ feeds, paused: subs }, () => name))).toEqual([]);
          expect(
            replyProblems(
              renderFeedList({
                guild: feeds.map((f) => f.feed),
                operator: topics.map((t) => ({ id: t.id, name: t.def.name })),
              }),
            ),
          ).toEqual([]);
        },
      ),
      runs,
    );
  });

  it('the /subscribe reply with its catch-up, and a /topic test result', () => {
    fc.assert(
      fc.property(
        fc.array(hostileBriefing({ maxTopics: 2 }), { maxLength: 3 }),
        hostileTopic,
        (catchUp, topic) => {
          const reply = renderSubscribed({
            subscription: {
              guildId: G,
              channelId: CH,
              topicId: 'x',
              mode: 'digest',
              digestTime: '08:00',
              createdAt: '',
            },
            topic,
            replaced: false,
            catchUp,
            warnings: [],
          });
          expect(replyProblems(reply)).toEqual([]);
          const hits = catchUp.map((b, i) => ({
            archived: { item: b.item, matches: [] },
            score: i,
            why: b.summary,
            missed: i % 2 === 0,
            ...(i % 3 === 0 ? { clauses: [`✗ ${b.summary}`] } : {}),
          }));
          expect(
            replyProblems(
              renderBacktest({
                topic: topic.def,
                scanned: 5,
                matched: 2,
                best: hits,
                borderline: hits,
              }),
            ),
          ).toEqual([]);
        },
      ),
      runs,
    );
  });
});

describe('item embeds', () => {
  it('link the title, show the source and topics, and keep the summary', () => {
    const [embed] = itemEmbeds([makeBriefing()]);
    expect(embed).toMatchObject({
      title: 'Turkmenistan, UN discuss strategic cooperation',
      url: 'https://en.trend.az/centralasia/turkmenistan/3495081.html',
      footer: { text: 'Trend — Central Asia · Central Asia security' },
      timestamp: '2021-10-15T05:12:00.000Z',
    });
    expect(embed!.description).toContain('strategic cooperation');
  });
});

describe('paging buttons', () => {
  it('carry the pager key and page, and read back; anything else is not ours', () => {
    const reply = renderBriefingPage({
      briefings: [makeBriefing()],
      total: 9,
      page: 2,
      pagerId: 'k_9-Zx',
      hasNext: true,
      topics: [],
      since: new Date(0),
    });
    const ids = (reply.components![0]!.components as Array<{ custom_id: string }>).map(
      (c) => c.custom_id,
    );
    expect(ids).toEqual(['briefing:k_9-Zx:1', 'briefing:k_9-Zx:3']);
    expect(parsePageButton(ids[1]!)).toEqual({ pagerId: 'k_9-Zx', page: 3 });
    expect(parsePageButton('briefing:../x:1')).toBeUndefined();
    expect(parsePageButton('other:k:1')).toBeUndefined();
  });

  it('are left out when everything fits on one page', () => {
    expect(
      renderBriefingPage({
        briefings: [],
        total: 0,
        page: 0,
        pagerId: 'k',
        hasNext: false,
        topics: [],
        since: new Date(0),
      }).components,
    ).toEqual([]);
  });
});

describe('/topic test', () => {
  it('says for an item the query did not match which clauses failed, and why', () => {
    const { item } = makeBriefing();
    const why =
      '@un NEAR/12 @counter_terrorism: UN … terrorism: 31 words apart; NEAR/12 needs ≤ 12';
    const reply = renderBacktest({
      topic: { id: 't', name: 'T', query: '@un NEAR/12 @counter_terrorism', minScore: 2 },
      scanned: 1,
      matched: 0,
      best: [],
      borderline: [
        { archived: { item, matches: [] }, score: 0, why, missed: true, clauses: [`✗ ${why}`] },
      ],
    });
    expect(replyProblems(reply)).toEqual([]);
    expect(reply.embeds?.[1]?.description).toContain(
      '— not matched · @un NEAR/12 @counter\\_terrorism: UN … terrorism: 31 words apart; NEAR/12 needs ≤ 12',
    );
  });
});
