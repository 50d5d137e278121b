import { describe, expect, it } from 'vitest';
import { baseLanguage, detectLanguage } from '../../../src/text/lang';

describe('detectLanguage', () => {
  it.each([
    [
      'en',
      'English',
      'The foreign minister of Kazakhstan met a delegation of the UN Office of Counter-Terrorism on Monday and said the two sides would work on the return of citizens from camps in Syria.',
    ],
    [
      'ru',
      'Russian, with a Kazakh name in it',
      'Министр иностранных дел Казахстана Ерлан Қарин встретился с делегацией Контртеррористического управления ООН. Стороны обсудили возвращение граждан из зон конфликтов и их реабилитацию.',
    ],
    [
      'kk',
      'Kazakh, Cyrillic',
      'Қазақстан Республикасының Сыртқы істер министрі Біріккен Ұлттар Ұйымының өкілімен кездесті. Тараптар терроризмге қарсы іс-қимыл саласындағы ынтымақтастықты талқылады.',
    ],
    [
      'uz',
      'Uzbek, Cyrillic',
      'Ўзбекистон Республикаси Ташқи ишлар вазири БМТ вакили билан учрашди. Томонлар терроризмга қарши курашиш бўйича ҳамкорликни муҳокама қилди ва келгуси режаларни кўриб чиқди.',
    ],
    [
      'ky',
      'Kyrgyz',
      'Кыргыз Республикасынын Тышкы иштер министри БУУнун өкүлү менен жолугушту. Тараптар терроризмге каршы күрөшүү боюнча кызматташтыкты талкуулашты.',
    ],
    [
      'tg',
      'Tajik',
      'Вазири корҳои хориҷии Тоҷикистон бо намояндаи СММ вохӯрд. Ҷонибҳо ҳамкорӣ дар мубориза бар зидди терроризмро муҳокима карданд.',
    ],
    [
      'kk',
      'Kazakh, Latin',
      'Qazaqstan Respublikasynyñ Syrtqy ister ministri BUU ökilimen kezdesti. Taraptar terrorizmge qarsy is-qimyl salasyndağy yntymaqtastyqty jäne jastar saiasatyn talqylady.',
    ],
    [
      'uz',
      'Uzbek, Latin',
      'Oʻzbekiston Respublikasi Tashqi ishlar vaziri BMT vakili bilan uchrashdi. Tomonlar terrorizmga qarshi kurashish sohasidagi hamkorlik va yoshlar siyosatini muhokama qildi.',
    ],
  ])('reads %s in %s', (lang, _, text) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it.each([
    ['digits and signs only', '2021-10-15 12:00 +5'],
    ['too little to tell', 'Astana'],
    ['a language it does not know', 'Der Außenminister traf gestern den Gesandten.'],
  ])('says nothing for %s', (_, text) => {
    expect(detectLanguage(text)).toBeUndefined();
  });
});

describe('baseLanguage', () => {
  it.each([
    ['en-US', 'en'],
    ['RU', 'ru'],
    ['uz_Latn', 'uz'],
  ])('reads %s as %s', (tag, base) => {
    expect(baseLanguage(tag)).toBe(base);
  });
});
