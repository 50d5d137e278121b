import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  renderConsoleBlock,
  renderConsoleJson,
  wrapText,
} from '../../../src/delivery/render-console';
import { hostileBriefing, makeBriefing } from './make-briefing';

const SUMMARY =
  'Turkmenistan and UN discussed strategic cooperation in a wide range of areas, Trend reports referring to the Ministry of Foreign Affairs of Turkmenistan.\n\nThe mentioned issue was discussed during the meeting with the Head of the UN Counter-Terrorism Office.';

/** Our own colour codes, which are the only escapes allowed in coloured output. */
const OUR_SGR = /\x1b\[(1|2|22|33|36|39)m/g;

describe('renderConsoleBlock', () => {
  it('shows title, source · time, link, the wrapped summary and what matched', () => {
    expect(
      renderConsoleBlock(makeBriefing({ summary: SUMMARY }), { timeZone: 'Asia/Ashgabat' }),
    ).toBe(
      [
        'Turkmenistan, UN discuss strategic cooperation',
        'Trend — Central Asia · 15 Oct 2021, 10:12 (2021-10-15T05:12:00.000Z)',
        'https://en.trend.az/centralasia/turkmenistan/3495081.html',
        '',
        'Turkmenistan and UN discussed strategic cooperation in a wide range of areas, Trend reports',
        'referring to the Ministry of Foreign Affairs of Turkmenistan.',
        '',
        'The mentioned issue was discussed during the meeting with the Head of the UN Counter-Terrorism',
        'Office.',
        '',
        'Matched: Central Asia security — UN Counter-Terrorism Office · Turkmenistan',
      ].join('\n'),
    );
  });

  it('colours only when asked to', () => {
    const b = makeBriefing();
    expect(renderConsoleBlock(b, { color: false })).not.toContain('\x1b');
    const coloured = renderConsoleBlock(b, { color: true });
    expect(coloured).toContain('\x1b[1mTurkmenistan, UN discuss strategic cooperation\x1b[22m');
    expect(coloured.replace(OUR_SGR, '')).toBe(renderConsoleBlock(b, { color: false }));
  });

  it('omits the link when it is not http(s) and the time when it is not a date', () => {
    const block = renderConsoleBlock(
      makeBriefing({ item: { link: 'javascript:alert(1)', publishedAt: 'soon' } }),
    );
    expect(block.split('\n').slice(0, 3)).toEqual([
      'Turkmenistan, UN discuss strategic cooperation',
      'Trend — Central Asia',
      '',
    ]);
  });

  it('lets no feed text drive the terminal, with or without colour', () => {
    fc.assert(
      fc.property(hostileBriefing({ hugeWeight: 0 }), fc.boolean(), (b, color) => {
        const block = renderConsoleBlock(b, { color, timeZone: 'UTC' }).replace(OUR_SGR, '');
        expect(block).not.toMatch(
          /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
        );
      }),
    );
  });
});

describe('wrapText', () => {
  it.each([
    ['wraps at word boundaries', 'aa bb cc dd', 5, 'aa bb\ncc dd'],
    ['breaks a word longer than the width', 'abcdefghij k', 4, 'abcd\nefgh\nij k'],
    ['keeps paragraphs apart by one blank line', 'one\n\n\n  two', 10, 'one\n\ntwo'],
    ['counts emoji as one column each', '😀😀😀 😀', 4, '😀😀😀\n😀'],
    ['turns single line breaks into spaces', 'a\nb', 10, 'a b'],
    ['makes nothing of empty text', ' \n ', 10, ''],
  ])('%s', (_title, text, width, expected) => {
    expect(wrapText(text, width)).toBe(expected);
  });

  it('never makes a line wider than the width, and keeps every word in order', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 500 }),
        fc.integer({ min: 1, max: 120 }),
        (text, width) => {
          const out = wrapText(text, width);
          for (const line of out.split('\n'))
            expect(Array.from(line).length).toBeLessThanOrEqual(width);
          expect(out.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
        },
      ),
    );
  });
});

describe('renderConsoleJson', () => {
  it('writes the record scripts need as one JSON line', () => {
    const b = makeBriefing();
    expect(JSON.parse(renderConsoleJson(b))).toEqual({
      item: {
        key: b.item.key,
        guid: b.item.guid,
        title: b.item.title,
        link: b.item.link,
        feedId: b.item.feedId,
        publishedAt: b.item.publishedAt,
        categories: b.item.categories,
      },
      feedName: b.feedName,
      summary: b.summary,
      topics: b.topics,
    });
  });

  it('stays one line and round-trips whatever the feed sends', () => {
    fc.assert(
      fc.property(hostileBriefing({ hugeWeight: 0, maxTopics: 3 }), (b) => {
        const line = renderConsoleJson(b);
        expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
        const back = JSON.parse(line);
        expect(back.item.title).toBe(b.item.title);
        expect(back.summary).toBe(b.summary);
        expect(back.topics).toEqual(JSON.parse(JSON.stringify(b.topics)));
      }),
    );
  });
});
