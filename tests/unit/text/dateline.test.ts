import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEAD_RULES, stripLead } from '../../../src/text/dateline';

describe('stripLead', () => {
  it.each([
    [
      'a Trend dateline and byline, each a paragraph',
      'BAKU, Azerbaijan, Oct. 15\n\nBy Farida Nuri - Trend:\n\nTurkmenistan and UN discussed cooperation.',
    ],
    [
      'a Trend dateline and byline on one line',
      'DUSHANBE, Tajikistan, March 3. By Trend: Turkmenistan and UN discussed cooperation.',
    ],
    ['a Reuters dateline', 'ASTANA (Reuters) - Turkmenistan and UN discussed cooperation.'],
    [
      'a Reuters dateline with a date',
      'ASTANA, Oct 15 (Reuters) - Turkmenistan and UN discussed cooperation.',
    ],
    [
      'an AP dateline with an em dash',
      'ALMATY, Kazakhstan (AP) — Turkmenistan and UN discussed cooperation.',
    ],
    [
      'a RIA Novosti dateline',
      'МОСКВА, 15 окт — РИА Новости. Turkmenistan and UN discussed cooperation.',
    ],
    ['a Kazinform dateline', 'АСТАНА. КАЗИНФОРМ - Turkmenistan and UN discussed cooperation.'],
    [
      'a TDH dateline in title case',
      'Ashgabat, 15 October (TDH). Turkmenistan and UN discussed cooperation.',
    ],
    ['an agency tag alone', '(Reuters) - Turkmenistan and UN discussed cooperation.'],
    ['a city in capitals with a dash', 'WASHINGTON — Turkmenistan and UN discussed cooperation.'],
    [
      'a byline naming the agency, on its own line',
      'By Jane Doe, Reuters\nTurkmenistan and UN discussed cooperation.',
    ],
    [
      'a byline then a dateline',
      'By Jane Doe, Reuters\n\nASTANA (Reuters) - Turkmenistan and UN discussed cooperation.',
    ],
    [
      'a dateline on its own line, with a region',
      'NUR-SULTAN, Kazakhstan\nTurkmenistan and UN discussed cooperation.',
    ],
    ['leading whitespace', '  \n (Reuters) - Turkmenistan and UN discussed cooperation.'],
    ['a TASS dateline', 'ASTANA, December 3. /TASS/. Turkmenistan and UN discussed cooperation.'],
    [
      'a Kabar dateline',
      'Bishkek, Dec. 2, 2026 / Kabar /. Turkmenistan and UN discussed cooperation.',
    ],
    [
      'a Khovar dateline with a numeric date',
      'DUSHANBE, 03.12.2026 /NIAT Khovar/. Turkmenistan and UN discussed cooperation.',
    ],
    [
      'an Asia-Plus dateline with a year and a named agency',
      'DUSHANBE, December 4, 2026, Asia-Plus -- Turkmenistan and UN discussed cooperation.',
    ],
    [
      'an Interfax dateline with a site name',
      'Алматы. 3 декабря. INTERFAX.RU - Turkmenistan and UN discussed cooperation.',
    ],
    [
      'an Interfax dateline in English',
      'ASTANA. Dec 3 (Interfax) - Turkmenistan and UN discussed cooperation.',
    ],
    [
      'an nCa dateline, the date first',
      '4 December 2026. Ashgabat. Turkmenistan and UN discussed cooperation.',
    ],
    ['a site and a date', '24.KG 03/12/26 - Turkmenistan and UN discussed cooperation.'],
    ['a site alone', 'AKIPRESS.COM - Turkmenistan and UN discussed cooperation.'],
    ['an AFP dateline', 'Almaty (AFP) - Turkmenistan and UN discussed cooperation.'],
    ['a short Russian place', 'ОШ (АКИpress) - Turkmenistan and UN discussed cooperation.'],
    ['two places', 'DUBAI/ALMATY, Dec 1 (Reuters) - Turkmenistan and UN discussed cooperation.'],
    ['a Sputnik dateline', 'BISHKEK, 5 Dec — Sputnik. Turkmenistan and UN discussed cooperation.'],
    ['an Anadolu place on its own line', 'ANKARA\n\nTurkmenistan and UN discussed cooperation.'],
    ['a photo credit run into the lead', 'Photo 24.kg. Turkmenistan and UN discussed cooperation.'],
    [
      'a credit naming its source, run into the lead',
      'Photo from open sources. Turkmenistan and UN discussed cooperation.',
    ],
    [
      'a Regnum dateline with a time',
      'Астана, 3 декабря 2026, 12:45 — ИА Регнум. Turkmenistan and UN discussed cooperation.',
    ],
    ['a KazTAG dateline', 'Астана. 2 декабря. КазТАГ - Turkmenistan and UN discussed cooperation.'],
    [
      'a TASS correspondent',
      'АСТАНА, 3 декабря. /Корр. ТАСС Иван Петров/. Turkmenistan and UN discussed cooperation.',
    ],
    [
      'a headline and a subtitle above a TASS dateline',
      'Talks in Ashgabat\n\nThe sides met for the third time\n\nASHGABAT, December 3. /TASS/. Turkmenistan and UN discussed cooperation.',
    ],
  ])('removes %s', (_, text) => {
    expect(stripLead(text)).toBe('Turkmenistan and UN discussed cooperation.');
  });

  it.each([
    [
      'a city in capitals before an acronym',
      'UNITED NATIONS (Reuters) - UN chief warns of famine.',
      'UN chief warns of famine.',
    ],
    [
      'a dateline before a possessive',
      'ALMATY, Kazakhstan (AP) — Kazakhstan’s president said.',
      'Kazakhstan’s president said.',
    ],
    [
      'a dash before an ordinary first sentence',
      'WASHINGTON — The Senate voted. More text.',
      'The Senate voted. More text.',
    ],
    [
      'a Xinhua dateline before "No."',
      'BEIJING, Dec. 5 (Xinhua) -- No. 1 Document is out.',
      'No. 1 Document is out.',
    ],
    [
      'a Russian date with a year',
      'Ашхабад, 15 октября 2021 г. (TDH). Туркменистан и ООН.',
      'Туркменистан и ООН.',
    ],
  ])('keeps the first sentence after %s', (_, text, expected) => {
    expect(stripLead(text)).toBe(expected);
  });

  it.each([
    'Kazakhstan signed an agreement with Uzbekistan on Friday.',
    'UN chief warns of a looming famine in the region.',
    'Kazakhstan, Uzbekistan sign agreement on transport corridor.',
    'Turkmenistan and UN discussed strategic cooperation.',
    'By Tuesday, the government had approved the plan.',
    'By 2030 the country plans to double exports.',
    'NATO allies met in Brussels on Friday.',
    'U.S. officials said on Monday that talks would resume.',
    'Moscow is ready to talk, the Kremlin said.',
    'Astana, the capital, hosted the summit.',
    'Kazakhstan - the largest economy in Central Asia - grew.',
    'Путин провёл встречу с главой ООН.',
    'ООН призвала стороны к диалогу.',
    '(Corrects date in paragraph 3) Oil prices rose.',
    'In October 15 countries joined.',
    'Photography exhibition opened in Almaty.',
    'Talks in Ashgabat\n\nThe sides met in Ashgabat on Friday.',
  ])('keeps a lead that is a real sentence: %s', (text) => {
    expect(stripLead(text)).toBe(text);
  });

  it.each([
    [
      'after a first sentence',
      'Officials met.\n\nBAKU, Azerbaijan, Oct. 15\n\nBy Farida Nuri - Trend:\n\nMore text.',
    ],
    [
      'inside a paragraph',
      'The talks began. WASHINGTON — officials said more. By Jane Doe, Reuters',
    ],
  ])('never strips a dateline %s', (_, text) => {
    expect(stripLead(text)).toBe(text);
  });

  it('returns a suffix of the text and never cuts a word (property)', () => {
    const lead = fc.constantFrom(
      'BAKU, Azerbaijan, Oct. 15\n\n',
      'By Farida Nuri - Trend:\n\n',
      '(Reuters) - ',
      'WASHINGTON — ',
      'АСТАНА. ',
      '',
    );
    fc.assert(
      fc.property(lead, fc.string({ unit: 'grapheme', maxLength: 80 }), (head, body) => {
        const text = head + body;
        const result = stripLead(text);
        expect(text.endsWith(result)).toBe(true);
        const cut = text.length - result.length;
        if (cut > 0 && result.length > 0) expect(text.charAt(cut - 1)).toMatch(/\s/);
      }),
      { numRuns: 500 },
    );
  });

  it('finishes on a megabyte of capitals', () => {
    const text = 'BAKU'.repeat(250_000);
    expect(stripLead(text)).toBe(text);
  });
});

describe('the tests that let a dateline pattern run', () => {
  // Pieces of datelines and of leads, joined at random: places in both scripts and cases, dates,
  // agencies, sites, bylines, credits, and the characters the tests look at.
  const piece = fc.constantFrom(
    'ASTANA',
    'Astana',
    'АСТАНА',
    'Алматы',
    'BAKU',
    'SOUTHERN KAZAKHSTAN',
    'DUBAI/ALMATY',
    'U.S.',
    'Azerbaijan',
    'Oct.',
    'Oct',
    'December',
    'декабря',
    'окт',
    '15',
    '3',
    '2026',
    '03.12.2026',
    '12:45',
    'г.',
    '(Reuters)',
    '(AP)',
    '/TASS/',
    '/ Kabar /',
    'Asia-Plus',
    'РИА Новости',
    'INTERFAX.RU',
    'AKIPRESS.COM',
    '24.KG',
    '03/12/26',
    'By',
    'BY',
    'Jane',
    'Doe',
    'Trend',
    'Photo',
    'Фото',
    'from',
    'open sources',
    'Officials',
    'said',
    'UN',
    'chief',
    '𝐀𝐁𝐂',
    ' ',
    ' ',
    ' ',
    ', ',
    '. ',
    '.',
    ':',
    ' - ',
    ' — ',
    '--',
    '-',
    '\n',
    '\n\n',
    '(',
    '/',
    "'",
  );
  const text = fc.array(piece, { maxLength: 16 }).map((pieces) => pieces.join(''));

  it.each(LEAD_RULES.map((rule, i) => [i, rule] as const))(
    'pattern %i never matches a text its test turns away',
    (_i, { pattern, may }) => {
      fc.assert(
        fc.property(fc.oneof(text, fc.string({ unit: 'grapheme' })), (t) => {
          if (!may(t)) expect(pattern.exec(t)).toBeNull();
        }),
        { numRuns: 5000 },
      );
    },
  );
});
