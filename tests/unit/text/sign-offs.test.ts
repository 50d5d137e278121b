import { describe, expect, it } from 'vitest';
import { dropSignOffs } from '../../../src/text/sign-offs';

const STORY = 'Kazakhstan raised its oil output.';

describe('dropSignOffs', () => {
  it.each([
    ['a Reuters sign-off', 'Reporting by Jane Doe; Editing by John Roe'],
    ['a bracketed sign-off', '(Writing by Jane Doe; Editing by Tom Barker)'],
    ['an Anadolu sign-off', '*Writing by Merve Aydogan'],
    ['a reporter named at the end', 'Reported by Maxim Rodionov.'],
    ['a photo credit', 'Photo: press service of the Pavlodar region akimat.'],
    ['a photo credit without a colon', 'Photo 24.kg'],
    [
      'a photo credit line and its caption',
      'UNICEF/Anvar Karimov\nA girl attends class in Khatlon.',
    ],
    ['a credit with "credit"', 'Photo credit: Almaty akimat press service.'],
    ['a Russian photo credit', 'Фото: Sputnik / Руслан Ким'],
    ['an illustrative photo note', 'Фото иллюстративное.'],
    ['a source', 'Source : Akipress'],
    ['a Russian source', 'Источник: АКИpress'],
    ['a Russian author', 'Автор: Айгерим Токтосунова'],
    ['an author with a copyright', 'Kamila Yusupova, © Daryo'],
    ['an agency and date after slashes', '///Daryo, 03.12.2026'],
    ['an AFP desk slug', 'burs-ak/jm'],
    ['a call to follow', 'Follow the author on X: @nsadikhova'],
    ['a call to subscribe', 'Подписывайтесь на Sputnik Казахстан в Telegram'],
    ['a pointer to more', 'Подробнее читайте на сайте.'],
    ['a standards line', 'Our Standards: the agency’s principles.'],
    ['a rule', '___'],
    ['an end mark', 'Enditem'],
    [
      'a contributor line',
      'Associated Press writer Dana Omarova in Almaty contributed to this report.',
    ],
  ])('drops %s', (_, signOff) => {
    expect(dropSignOffs(`${STORY}\n\n${signOff}`)).toBe(STORY);
    expect(dropSignOffs(`${signOff}\n\n${STORY}`)).toBe(STORY);
  });

  it('cuts a sign-off run into the last paragraph in brackets', () => {
    expect(dropSignOffs(`${STORY} (Reporting by Jane Doe; Editing by John Roe)`)).toBe(STORY);
  });

  it.each([
    'Photography exhibition opened in Almaty on Friday.',
    'Follow-up talks will be held in Astana.',
    'Sources said the deal was close.',
    'Reporting on the talks was banned.',
    'Photo exhibitions were held in five cities, the ministry said, and more are planned.',
    'Kazakhstan/UN joint programme was launched on Monday, officials said.',
    'Donors contributed to this report on water, the ministry said, and to two others.',
  ])('keeps a paragraph that is story: %s', (paragraph) => {
    expect(dropSignOffs(`${STORY}\n\n${paragraph}`)).toBe(`${STORY}\n\n${paragraph}`);
  });

  it('keeps a long paragraph that opens like a credit', () => {
    const long = `Photo: ${'the exhibition shows the history of the region '.repeat(8)}`;
    expect(dropSignOffs(long)).toBe(long);
  });
});
