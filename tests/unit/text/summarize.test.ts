import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/text/summarize';

/** The first item's article as htmlToText gives it: its paragraphs, joined by blank lines. */
function seedArticle(): string {
  const rss = readFileSync(
    new URL('../../fixtures/feeds/trend-central-asia.rss', import.meta.url),
    'utf8',
  );
  const item = rss.slice(rss.indexOf('<item>'), rss.indexOf('</item>'));
  return [...item.matchAll(/<p>(.*?)<\/p>/gs)].map((m) => m[1]).join('\n\n');
}

/** The same article from the plain-text fixture, without its " date …" header line. */
function seedText(): string {
  const text = readFileSync(new URL('../../fixtures/seed-article.txt', import.meta.url), 'utf8');
  return text.slice(text.indexOf('\n') + 1);
}

const LEAD = 'Turkmenistan and UN discussed strategic cooperation';
const OFFICE_SENTENCE = 'Head of the UN Counter-Terrorism Office (UNCTU) Vladimir Voronkov.';
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('summarize', () => {
  describe('the seed article', () => {
    it.each([
      ['from the feed', seedArticle],
      ['from the text fixture', seedText],
    ])('starts with the lead and drops the dateline and byline (%s)', (_, article) => {
      const summary = summarize(article(), {
        title: 'Turkmenistan, UN discuss strategic cooperation',
      });
      expect(summary.startsWith(LEAD)).toBe(true);
      expect(summary).not.toContain('BAKU');
      expect(summary).not.toContain('Farida Nuri');
      expect(summary.length).toBeLessThanOrEqual(320);
    });

    it("keeps the lead first when it names a matched term, as the default topic's match does", () => {
      const summary = summarize(seedArticle(), {
        terms: ['UN Counter-Terrorism Office', 'Turkmenistan'],
      });
      expect(summary.startsWith(LEAD)).toBe(true);
      expect(summary.length).toBeLessThanOrEqual(320);
    });

    it('keeps the lead first when only a later sentence names a matched term, and adds that one when it fits', () => {
      const summary = summarize(seedArticle(), { terms: ['UN Counter-Terrorism Office'] });
      expect(summary.startsWith(LEAD)).toBe(true);
      expect(summary.length).toBeLessThanOrEqual(320);
    });

    it('adds the lead before the favoured sentence when both fit', () => {
      const summary = summarize(seedArticle(), {
        terms: ['Counter-Terrorism Office'],
        maxChars: 500,
      });
      expect(summary.startsWith(LEAD)).toBe(true);
      expect(summary).toContain(OFFICE_SENTENCE);
    });
  });

  it('summarises a Reuters-style story from its lead, splitting after "Corp." before "The"', () => {
    const text = [
      'ASTANA, Oct 15 (Reuters) - Kazakhstan will raise its oil output next year, Energy Minister Bolat Akchulakov said on Friday.',
      'The increase of 3.5% would come mainly from the Tengiz field, operated by Chevron Corp. The field is one of the largest in the world.',
      'Reporting by Jane Doe; Editing by John Roe',
    ].join('\n\n');
    expect(summarize(text)).toBe(
      'Kazakhstan will raise its oil output next year, Energy Minister Bolat Akchulakov said on Friday. ' +
        'The increase of 3.5% would come mainly from the Tengiz field, operated by Chevron Corp. ' +
        'The field is one of the largest in the world.',
    );
  });

  it('summarises Russian text after an agency dateline', () => {
    const text =
      'МОСКВА, 15 окт — РИА Новости. В. Путин провёл встречу с главой ООН в г. Москве. ' +
      'Стороны обсудили сотрудничество, т.е. торговлю, энергетику и т.д. Объём торговли достиг 5 млрд. руб. ' +
      'Следующая встреча пройдёт в 2022 г. в Астане.';
    expect(summarize(text, { maxChars: 200 })).toBe(
      'В. Путин провёл встречу с главой ООН в г. Москве. Стороны обсудили сотрудничество, т.е. торговлю, энергетику и т.д. Объём торговли достиг 5 млрд. руб.',
    );
  });

  it('keeps the original order when a later sentence is favoured', () => {
    const text =
      'Oil prices rose on Monday. Traders were cautious. Kazakhstan raised its output. Gas was flat.';
    expect(summarize(text, { terms: ['kazakhstan'], maxSentences: 2 })).toBe(
      'Oil prices rose on Monday. Kazakhstan raised its output.',
    );
  });

  it.each([
    ['a whole word', ['Astana'], 'Talks in Astana ended.'],
    ['a phrase across a line break', ['central asia'], 'Central\nAsia was discussed.'],
  ])('matches a term as %s, in any case', (_, terms, favoured) => {
    const text = `The weather was fine. Astanaville hosted nothing. ${favoured} Nothing else.`;
    const summary = summarize(text, { terms, maxSentences: 2 });
    expect(words(summary)).toEqual(words(`The weather was fine. ${favoured}`));
  });

  it('keeps a lead that repeats the title, and skips a later sentence that only repeats it', () => {
    const title = 'Turkmenistan, UN discuss strategic cooperation';
    const lead = 'Turkmenistan and UN discussed strategic cooperation.';
    expect(summarize(`${lead} The talks took place in Ashgabat.`, { title })).toBe(
      `${lead} The talks took place in Ashgabat.`,
    );
    expect(
      summarize(`The talks took place in Ashgabat. ${lead} Both sides were pleased.`, { title }),
    ).toBe('The talks took place in Ashgabat. Both sides were pleased.');
  });

  it('stops at maxSentences', () => {
    expect(summarize('One. Two. Three. Four.', { maxSentences: 2 })).toBe('One. Two.');
    expect(summarize('One. Two. Three. Four.')).toBe('One. Two. Three.');
  });

  it('counts the space between sentences against maxChars', () => {
    expect(summarize('Aaaa. Bbbb.', { maxChars: 10 })).toBe('Aaaa.');
    expect(summarize('Aaaa. Bbbb.', { maxChars: 11 })).toBe('Aaaa. Bbbb.');
  });

  it('skips a sentence that does not fit for a shorter one that does', () => {
    const long = `The second sentence ${'goes on '.repeat(10)}too long.`;
    expect(summarize(`A lead. ${long} A third.`, { maxChars: 40 })).toBe('A lead. A third.');
  });

  it('cuts a lead longer than maxChars at a word boundary and adds an ellipsis', () => {
    const text =
      'Kazakhstan and Uzbekistan signed an agreement on developing the transport corridor, officials said.';
    expect(summarize(text, { maxChars: 50 })).toBe(
      'Kazakhstan and Uzbekistan signed an agreement on…',
    );
    // Room enough to keep who said it: the cut falls before the attribution, not through it.
    expect(summarize(text, { maxChars: 86 })).toBe(
      'Kazakhstan and Uzbekistan signed an agreement on developing the… officials said.',
    );
    expect(summarize(text.replace(', officials said', ''), { maxChars: 80 })).toBe(
      'Kazakhstan and Uzbekistan signed an agreement on developing the transport…',
    );
  });

  it('opens with a complete sentence after a lead too long to keep whole', () => {
    const lead = `Kazakhstan's government said it would cap fuel prices ${'for longer '.repeat(30)}than planned.`;
    expect(summarize(`${lead} The cap will cost $400 million. It was first set in 2022.`)).toBe(
      'The cap will cost $400 million. It was first set in 2022.',
    );
  });

  it('cuts a long lead, keeping who said it, when the next sentence leans on it', () => {
    const lead = `Kazakhstan will cap fuel prices ${'for longer '.repeat(30)}than planned, Energy Minister Almas Bekov said on Friday.`;
    const summary = summarize(`${lead} He added that the cap would cost $400 million.`);
    expect(summary.startsWith('Kazakhstan will cap fuel prices for longer')).toBe(true);
    expect(summary.endsWith('for longer… Energy Minister Almas Bekov said on Friday.')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(320);
  });

  it('never adds a sentence that leans on one it left out', () => {
    const text =
      'Kazakhstan raised its oil output. Exports rose too. Gas was flat. He said Kazatomprom would grow.';
    expect(summarize(text, { terms: ['Kazatomprom'], maxSentences: 2 })).toBe(
      'Kazakhstan raised its oil output. Exports rose too.',
    );
    expect(summarize(text, { terms: ['Kazatomprom'], maxSentences: 4 })).toBe(text);
  });

  it('keeps a quotation of several sentences whole, or leaves it out', () => {
    const text =
      'Kazakhstan may ban crypto mining. "We cannot afford blackouts. The grid is at its limit," an official said.';
    expect(summarize(text)).toBe(text);
    expect(summarize(text, { maxChars: 60 })).toBe('Kazakhstan may ban crypto mining.');
  });

  it('leaves out a heading or a subtitle without a final stop', () => {
    expect(summarize('Oil output rose. Exports\n\nGas was flat.')).toBe(
      'Oil output rose. Gas was flat.',
    );
    expect(summarize('Headline only')).toBe('Headline only');
  });

  it('drops credits and sign-offs around the story', () => {
    const text =
      'Photo: Almaty akimat\n\nALMATY, Dec 3 (Reuters) - Oil output rose.\n\nReporting by Jane Doe; Editing by John Roe';
    expect(summarize(text)).toBe('Oil output rose.');
  });

  it('cuts a single word longer than maxChars without splitting a surrogate pair', () => {
    expect(summarize('😀'.repeat(20), { maxChars: 10 })).toBe(`${'😀'.repeat(4)}…`);
  });

  it.each([[''], ['   \n\n\t'], ['BAKU, Azerbaijan, Oct. 15\n\nBy Farida Nuri - Trend:']])(
    'returns an empty summary for %j',
    (text) => {
      expect(summarize(text)).toBe('');
    },
  );

  it.each([[0], [-5], [Number.NaN]])('returns an empty summary when maxChars is %s', (maxChars) => {
    expect(summarize('A sentence.', { maxChars })).toBe('');
  });

  const sentences = fc
    .array(fc.stringMatching(/^[A-Z][a-z]{0,8}(?: [a-z]{1,8}){0,6}[.!?]$/), { maxLength: 12 })
    .map((list) => list.join(' '));
  const anyText = fc.oneof(
    sentences,
    fc.string({ unit: 'grapheme', maxLength: 400 }),
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\u00a0', '\u2028'), maxLength: 50 }),
    fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'Dr.',
            'U.N.',
            'Oct. 15',
            'BAKU,',
            'By',
            '(Reuters) -',
            'said.',
            'Then',
            'т.е.',
            '…',
            '\n\n',
          ),
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
          fc.string({ unit: fc.constantFrom('x', 'я', '😀'), minLength: 100, maxLength: 600 }),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(' ')),
  );
  const anyOptions = fc.record(
    {
      maxChars: fc.integer({ min: 1, max: 400 }),
      maxSentences: fc.integer({ min: 1, max: 4 }),
      terms: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
      title: fc.string({ maxLength: 40 }),
    },
    { requiredKeys: [] },
  );

  it('never exceeds maxChars, and uses only words of the text, or the start of one before "…" (property)', () => {
    fc.assert(
      fc.property(anyText, anyOptions, (text, options) => {
        const summary = summarize(text, options);
        expect(summary.length).toBeLessThanOrEqual(options.maxChars ?? 320);
        const textWords = words(text);
        const known = new Set(textWords);
        for (const word of words(summary)) {
          if (known.has(word)) continue;
          expect(word.endsWith('…')).toBe(true);
          const start = word.slice(0, -1);
          expect(textWords.some((w) => w.startsWith(start))).toBe(true);
        }
        expect(summarize(text, options)).toBe(summary);
      }),
      { numRuns: 1000 },
    );
  });

  it('returns an empty summary for whitespace-only text (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(' ', '\n', '\r', '\t', '\u00a0', '\u3000') }),
        (text) => {
          expect(summarize(text)).toBe('');
        },
      ),
    );
  });

  it.each([
    ['prose', `${seedText()}\n\n`],
    ['one unbroken word', 'x'],
    ['abbreviations', 'Dr. '],
    ['blank lines', '\n \n'],
  ])('finishes on a megabyte of %s', (_, unit) => {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const summary = summarize(text, { terms: ['Turkmenistan', 'UN'] });
    expect(summary.length).toBeLessThanOrEqual(320);
  });
});
