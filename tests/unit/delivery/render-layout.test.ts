import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageProblems } from '../../../src/delivery/discord-limits';
import { renderConsoleJson } from '../../../src/delivery/render-console';
import { renderDiscordMessage } from '../../../src/delivery/render-discord';
import { renderInLayout } from '../../../src/delivery/render-layout';
import { LAYOUTS } from '../../../src/domain/layout';
import { hostileBriefing, hostileLink, makeBriefing, mentionsFormed } from './make-briefing';

const ROLE = '123456789012345678';
const IMAGE = 'https://en.trend.az/media/2021/10/15/un-turkmenistan.jpg';

describe('layouts', () => {
  it('compact is one line: bold title, source and the link without a preview', () => {
    const msg = renderInLayout('compact', makeBriefing());
    expect(msg).toEqual({
      allowed_mentions: { parse: [] },
      content:
        '**Turkmenistan, UN discuss strategic cooperation** · Trend — Central Asia · <https://en.trend.az/centralasia/turkmenistan/3495081.html>',
    });
  });

  it('compact puts the subscription’s role first and allows only that role', () => {
    const msg = renderInLayout('compact', makeBriefing(), { mentionRoleId: ROLE });
    expect(msg.content?.startsWith(`<@&${ROLE}> **Turkmenistan`)).toBe(true);
    expect(msg.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
  });

  it('headline shows title, source and time, and the picture large', () => {
    const msg = renderInLayout('headline', makeBriefing({ item: { image: IMAGE } }));
    expect(msg.embeds).toEqual([
      {
        title: 'Turkmenistan, UN discuss strategic cooperation',
        url: 'https://en.trend.az/centralasia/turkmenistan/3495081.html',
        author: { name: 'Trend — Central Asia' },
        description: '<t:1634274720:R>',
        timestamp: '2021-10-15T05:12:00.000Z',
        image: { url: IMAGE },
      },
    ]);
  });

  it('card is today’s embed, with the picture as its thumbnail', () => {
    const b = makeBriefing({ item: { image: IMAGE } });
    const card = renderInLayout('card', b);
    expect(card.embeds?.[0]?.thumbnail).toEqual({ url: IMAGE });
    expect(card).toEqual(renderDiscordMessage(b));
    expect(renderInLayout('card', makeBriefing()).embeds?.[0]?.thumbnail).toBeUndefined();
  });

  it.each(['javascript:alert(1)', 'http://user:pass@x.example/a.png', 'not a url'])(
    'an image that is not a plain http(s) URL (%s) is left out',
    (image) => {
      for (const layout of LAYOUTS) {
        const embed = renderInLayout(layout, makeBriefing({ item: { image } })).embeds?.[0];
        expect(embed?.thumbnail ?? embed?.image).toBeUndefined();
      }
    },
  );

  it('every layout of any briefing is within Discord’s limits and pings nobody', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LAYOUTS),
        hostileBriefing({ maxTopics: 5 }),
        hostileLink,
        (layout, b, image) => {
          const msg = renderInLayout(layout, { ...b, item: { ...b.item, image } });
          expect(messageProblems(msg)).toEqual([]);
          expect(msg.allowed_mentions?.parse).toEqual([]);
          // A link in angle brackets is shown as a link, whatever its path says.
          const text = (msg.content ?? '').replace(/<https?:\/\/[^\s>]+>/g, '');
          expect(mentionsFormed(text)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('console JSON carries the image when the item has one, and no key when it has none', () => {
    expect(JSON.parse(renderConsoleJson(makeBriefing({ item: { image: IMAGE } }))).image).toBe(
      IMAGE,
    );
    expect('image' in JSON.parse(renderConsoleJson(makeBriefing()))).toBe(false);
  });
});
