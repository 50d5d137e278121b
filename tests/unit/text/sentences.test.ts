import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../src/text/sentences';

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('splitSentences', () => {
  it.each([
    [
      'titles before names',
      'Mr. Smith met Dr. Jones and Gen. Miller. They talked.',
      ['Mr. Smith met Dr. Jones and Gen. Miller.', 'They talked.'],
    ],
    [
      'a month before a day',
      'BAKU, Azerbaijan, Oct. 15. Talks began on Jan. 3 in Baku.',
      ['BAKU, Azerbaijan, Oct. 15.', 'Talks began on Jan. 3 in Baku.'],
    ],
    [
      'a month that ends a sentence',
      'Prices rose in Jan. The bank acted.',
      ['Prices rose in Jan.', 'The bank acted.'],
    ],
    [
      'a dotted acronym inside a sentence',
      'The U.N. Security Council met on Tuesday. It adopted a resolution.',
      ['The U.N. Security Council met on Tuesday.', 'It adopted a resolution.'],
    ],
    [
      'a dotted acronym that ends a sentence',
      'The talks were held in the U.S. The next round is in Astana.',
      ['The talks were held in the U.S.', 'The next round is in Astana.'],
    ],
    [
      'decimals',
      'Growth was 3.5 percent in 2021. Inflation fell to 7.25%.',
      ['Growth was 3.5 percent in 2021.', 'Inflation fell to 7.25%.'],
    ],
    [
      '"No." before a number and "St." before a lower-case word',
      'He lives at No. 5 Baker St. in London. She does not.',
      ['He lives at No. 5 Baker St. in London.', 'She does not.'],
    ],
    [
      'initials',
      'The report by J. Smith and A. B. Jones was published. It was long.',
      ['The report by J. Smith and A. B. Jones was published.', 'It was long.'],
    ],
    [
      'a company suffix before a verb and before a new sentence',
      'Apple Inc. said sales rose. Shares of Apple Inc. The company declined.',
      ['Apple Inc. said sales rose.', 'Shares of Apple Inc.', 'The company declined.'],
    ],
    [
      '"etc." before a capital',
      'They discussed oil, gas, etc. Kazakhstan agreed.',
      ['They discussed oil, gas, etc.', 'Kazakhstan agreed.'],
    ],
    [
      'an ellipsis before a capital and before a lower-case word',
      'He paused... Then he left. She waited… and waited.',
      ['He paused...', 'Then he left.', 'She waited… and waited.'],
    ],
    [
      'a quotation closed after the full stop',
      'He said: "It is over." Then he left.',
      ['He said: "It is over."', 'Then he left.'],
    ],
    [
      'a question inside a quotation',
      '"Why?" he asked. "Because." She smiled.',
      ['"Why?" he asked.', '"Because."', 'She smiled.'],
    ],
    [
      'a closing bracket',
      '(The meeting was closed.) Reporters waited outside.',
      ['(The meeting was closed.)', 'Reporters waited outside.'],
    ],
    ['exclamations and questions', 'Is it true? Yes! It is.', ['Is it true?', 'Yes!', 'It is.']],
    [
      'guillemets',
      'Он сказал: «Всё решено.» Потом ушёл.',
      ['Он сказал: «Всё решено.»', 'Потом ушёл.'],
    ],
    [
      'a list number at the start of a paragraph',
      '1. The first point is here.',
      ['1. The first point is here.'],
    ],
    [
      'wire abbreviations before numbers, names and units',
      'Output was approx. 22 mln tonnes, up from 20 bn. Gov. Smith and St. Petersburg agreed. No. 1 won.',
      [
        'Output was approx. 22 mln tonnes, up from 20 bn.',
        'Gov. Smith and St. Petersburg agreed.',
        'No. 1 won.',
      ],
    ],
    [
      '"St." that ends a sentence before a typical first word',
      'The office is on Abai St. The ministry moved there.',
      ['The office is on Abai St.', 'The ministry moved there.'],
    ],
    [
      'a quotation of several sentences',
      '"We cannot afford blackouts. The grid is at its limit," one said. Talks go on.',
      ['"We cannot afford blackouts. The grid is at its limit," one said.', 'Talks go on.'],
    ],
    [
      'a quotation in guillemets of several sentences',
      '«Школы построят за два года. Учить будут на русском», — сказал министр. Итоги подведут позже.',
      [
        '«Школы построят за два года. Учить будут на русском», — сказал министр.',
        'Итоги подведут позже.',
      ],
    ],
    [
      'a quotation never closed in its paragraph',
      '"We cannot afford blackouts. The grid is at its limit.',
      ['"We cannot afford blackouts.', 'The grid is at its limit.'],
    ],
    [
      'a subtitle without a final stop',
      'Talks in Astana\n\nThe sides met.',
      ['Talks in Astana', 'The sides met.'],
    ],
  ])('handles %s', (_, text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });

  it.each([
    [
      'a city, a street and "т.е." inside, and "т.д." at the end',
      'Встреча прошла в г. Москве, ул. Тверской. Участники, т.е. представители стран, обсудили торговлю и т.д. Итоги подведут позже.',
      [
        'Встреча прошла в г. Москве, ул. Тверской.',
        'Участники, т.е. представители стран, обсудили торговлю и т.д.',
        'Итоги подведут позже.',
      ],
    ],
    [
      'month abbreviations and "млн"',
      'Сделку закрыли 3 дек. прошлого года. Инвестиции составили 5 млн. Долг погасят в 2027 г.',
      [
        'Сделку закрыли 3 дек. прошлого года.',
        'Инвестиции составили 5 млн.',
        'Долг погасят в 2027 г.',
      ],
    ],
    [
      'amounts in "млрд. руб." before a new sentence',
      'Сумма составила 5 млрд. руб. Министерство подтвердило данные.',
      ['Сумма составила 5 млрд. руб.', 'Министерство подтвердило данные.'],
    ],
    [
      'a year in "г." inside a sentence and at its end',
      'В 2020 г. ВВП вырос на 3,5%. Договор подписан в 2021 г. Он вступил в силу.',
      ['В 2020 г. ВВП вырос на 3,5%.', 'Договор подписан в 2021 г.', 'Он вступил в силу.'],
    ],
    [
      'initials before a surname',
      'В. Путин провёл встречу. В. В. Путин и С. Лавров обсудили итоги. Она длилась час.',
      ['В. Путин провёл встречу.', 'В. В. Путин и С. Лавров обсудили итоги.', 'Она длилась час.'],
    ],
    [
      '"им." and "н.э."',
      'Театр им. Горького открылся. Город основан в V в. н.э. Он древний.',
      ['Театр им. Горького открылся.', 'Город основан в V в. н.э.', 'Он древний.'],
    ],
  ])('handles Russian: %s', (_, text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });

  it('ends a sentence at every paragraph break, even after an abbreviation or without a full stop', () => {
    expect(splitSentences('A heading without a stop\n\nHe met Dr.\n \nThe end')).toEqual([
      'A heading without a stop',
      'He met Dr.',
      'The end',
    ]);
  });

  it('joins the lines of a paragraph and collapses its whitespace', () => {
    expect(splitSentences('  The talks\r\n  went   well.\tBoth sides\nagreed.  ')).toEqual([
      'The talks went well.',
      'Both sides agreed.',
    ]);
  });

  it.each([[''], ['   '], ['\n\n\t\n']])('returns nothing for blank text %j', (text) => {
    expect(splitSentences(text)).toEqual([]);
  });

  const prose = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'Dr.',
          'U.N.',
          'Oct.',
          'No.',
          '3.5',
          'said."',
          'Then',
          'т.е.',
          'В.',
          'г.',
          'end.',
          '...',
          '?!',
          '\n\n',
          '\n',
          ' ',
        ),
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 12 }),
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(' '));

  it('keeps every word, in order, and no more (property)', () => {
    fc.assert(
      fc.property(prose, (text) => {
        const sentences = splitSentences(text);
        expect(words(sentences.join(' '))).toEqual(words(text));
        for (const s of sentences) expect(s).toBe(s.trim());
        for (const s of sentences) expect(s).not.toBe('');
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['abbreviations', 'Dr. '],
    ['one unbroken word', 'x'],
    ['full stops', '.'],
    ['short sentences', 'a. '],
    ['acronyms', 'U.N. '],
    ['blank lines', ' \n'],
    ['Russian', 'т.е. В. Путин, 5 млрд. руб. '],
  ])('finishes on a megabyte of %s', (_, unit) => {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const sentences = splitSentences(text);
    expect(words(sentences.join(' ')).length).toBe(words(text).length);
  });
});
