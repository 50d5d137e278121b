import { describe, expect, it } from 'vitest';
import { renderConsoleBlock, renderConsoleJson } from '../../../src/delivery/render-console';
import { renderDigest } from '../../../src/delivery/render-digest';
import { renderDiscordMessage } from '../../../src/delivery/render-discord';
import { renderFeedStatus } from '../../../src/discord/render/feeds';
import { makeBriefing } from './make-briefing';

/** A flood's "N more" message, as each surface tells it. */
describe('a folded message', () => {
  const folded = makeBriefing({ folded: 9_980 });

  it('is one console line naming the count, the feed and the command that lists the items', () => {
    const block = renderConsoleBlock(folded);
    expect(block.split('\n')).toHaveLength(1);
    expect(block).toContain('9,980 more new items from Trend — Central Asia');
    expect(block).toContain('briefing query --feed trend-central-asia');
    expect(block).not.toContain(folded.item.title);
    expect(JSON.parse(renderConsoleJson(folded))).toMatchObject({ folded: 9_980 });
  });

  it('is one short Discord embed with the /briefing hint and no item of its own', () => {
    const message = renderDiscordMessage(folded, { topicId: 'ca-security' });
    expect(message.embeds).toHaveLength(1);
    const embed = message.embeds![0]!;
    expect(embed.title).toBeUndefined();
    expect(embed.description).toContain('9,980 more new items from **Trend — Central Asia**');
    expect(embed.description).toContain('`/briefing topic:ca-security since:1d`');
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('is one line of a digest', () => {
    const [message] = renderDigest([makeBriefing(), folded], {
      topicName: 'Central Asia security',
      topicId: 'ca-security',
      sinceLabel: '24h',
    });
    expect(message!.embeds![0]!.description).toMatch(/^• 9,980 more new items from Trend/m);
  });
});

describe('/feed status', () => {
  it('says when a feed gives several items the same guid', () => {
    const reply = renderFeedStatus(
      {
        feeds: [
          {
            feed: {
              id: 'cms',
              url: 'https://cms.example.org/rss',
              name: 'CMS news',
              addedBy: '1',
              addedAt: '2026-11-01T00:00:00.000Z',
            },
            state: { failures: 0, lastSuccessAt: '2026-11-28T12:00:00.000Z' },
            sharedGuids: { guids: ['tag:cms'], since: '2026-11-28T12:00:00.000Z' },
          },
        ],
        paused: [],
      },
      (k) => k,
    );
    expect(reply.embeds![0]!.description).toContain('gives several items the same guid');
  });
});
