/**
 * News-like text in English and Russian, the languages of the default catalogue's region: a
 * headline, a lead of one or two sentences and an article body of 300–700 words as HTML. Sentences
 * come from wire-story templates filled with places, organisations and subjects, padded with
 * common words drawn by frequency, so the text has the shape the pipeline meets in real feeds:
 * word lengths, named entities (some of them the default topic's terms), inflected Russian forms,
 * character references and inline markup.
 */
import type { Random } from './random';

export type Lang = 'en' | 'ru';

export interface Article {
  lang: Lang;
  title: string;
  /** One or two sentences of plain text. */
  lead: string;
  /** The whole story as HTML paragraphs (starts with the lead). */
  html: string;
  categories: string[];
  author?: string;
}

interface Vocabulary {
  places: string[];
  /** "in <city>": prepositional forms for Russian. */
  inCities: string[];
  orgs: string[];
  subjects: string[];
  roles: string[];
  people: string[];
  common: string[];
  templates: string[];
  headlines: string[];
  months: string[];
  categories: string[];
}

const EN: Vocabulary = {
  places: [
    'Kazakhstan',
    'Uzbekistan',
    'Kyrgyzstan',
    'Tajikistan',
    'Turkmenistan',
    'Central Asia',
    'Afghanistan',
    'Russia',
    'China',
    'Turkey',
    'Iran',
    'the EU',
    'Azerbaijan',
    'Pakistan',
  ],
  inCities: [
    'in Astana',
    'in Tashkent',
    'in Bishkek',
    'in Dushanbe',
    'in Ashgabat',
    'in Almaty',
    'in Samarkand',
    'in Osh',
    'in Khujand',
    'in Moscow',
    'in Beijing',
    'in Geneva',
    'in New York',
    'in Baku',
  ],
  orgs: [
    'the World Bank',
    'the Asian Development Bank',
    'the OSCE',
    'the SCO',
    'the European Union',
    'the UN',
    'UNDP',
    'the Eurasian Economic Union',
    'USAID',
    'the IMF',
    'the CSTO',
    'UNODC',
    'UNRCCA',
    'the UN Office of Counter-Terrorism',
  ],
  subjects: [
    'the tourism season',
    'public health',
    'school education',
    'the wheat harvest',
    'the national football team',
    'the film festival',
    'road construction',
    'housing prices',
    'trade turnover',
    'transport corridors',
    'investment',
    'the railway project',
    'digital transformation',
    'labour migration',
    'youth employment',
    'water management',
    'energy cooperation',
    'hydropower',
    'cotton exports',
    'food security',
    'climate adaptation',
    'anti-corruption reform',
    'the parliamentary elections',
    'the gas pipeline',
    'border security',
    'drug trafficking',
    'preventing violent extremism',
    'counter-terrorism',
    'the returnees from Syria',
  ],
  roles: [
    'foreign minister',
    'deputy prime minister',
    'ambassador',
    'head of the delegation',
    'spokesperson',
    'special representative',
    'chairman of the committee',
  ],
  people: [
    'Rashid Meredov',
    'Bakhtiyor Saidov',
    'Murat Nurtleu',
    'Jeenbek Kulubaev',
    'Sirojiddin Muhriddin',
    'Kairat Umarov',
    'Aziz Abdukhakimov',
    'Natalia Gherman',
    'Antonio Guterres',
    'Vladimir Voronkov',
  ],
  common:
    'the of and to in a for on that with said was is by at from as it has have will be were government officials meeting talks cooperation country countries region regional agreement sides discussed issues development support international economic new year week statement also according ministry foreign affairs state national people their which its after during about more than other between further both joint plans project projects sector growth investment level bilateral partners important steps measures'.split(
      ' ',
    ),
  templates: [
    '{place} and {org} discussed {subject} during a meeting {inCity} on {day}.',
    '{person}, {role} of {place}, said that {subject} remains a priority for the government.',
    'According to the ministry, {num} million dollars were allocated to {subject} in {month}, {pct} per cent more than a year earlier.',
    'The parties also noted the importance of {subject} and {subject} for the whole region.',
    '{org} will host a conference on {subject} {inCity} next {period}, the statement said.',
    'Officials from {place} and {place} agreed to expand cooperation on {subject}.',
    'The {role} stressed that {subject} requires joint efforts by all the countries of {place}.',
    '{person} met representatives of {org} to review progress on {subject}.',
    'Experts say {subject} will shape relations between {place} and {place} for years to come.',
    'A working group on {subject} was set up {inCity} in {month}.',
  ],
  headlines: [
    '{place}, {org} discuss {subject}',
    '{place} and {place} sign agreement on {subject}',
    '{org} launches programme on {subject} {inCity}',
    '{person} visits {place} to discuss {subject}',
    '{place} reports progress on {subject}',
  ],
  months: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  categories: [
    'Politics',
    'Economy',
    'Security',
    'Society',
    'Region',
    'World',
    'Energy',
    'Business',
  ],
};

const RU: Vocabulary = {
  places: [
    'Казахстан',
    'Узбекистан',
    'Кыргызстан',
    'Таджикистан',
    'Туркменистан',
    'Центральная Азия',
    'Афганистан',
    'Россия',
    'Китай',
    'Турция',
    'Иран',
    'Евросоюз',
  ],
  inCities: [
    'в Астане',
    'в Ташкенте',
    'в Бишкеке',
    'в Душанбе',
    'в Ашхабаде',
    'в Алматы',
    'в Самарканде',
    'в Оше',
    'в Худжанде',
    'в Москве',
    'в Пекине',
    'в Женеве',
  ],
  orgs: [
    'Всемирный банк',
    'Азиатский банк развития',
    'ОБСЕ',
    'ШОС',
    'Евразийский экономический союз',
    'ООН',
    'ПРООН',
    'ОДКБ',
    'УНП ООН',
    'РЦПДЦА',
    'Контртеррористическое управление ООН',
  ],
  subjects: [
    'туристического сезона',
    'здравоохранения',
    'школьного образования',
    'уборки урожая',
    'национальной сборной',
    'кинофестиваля',
    'строительства дорог',
    'цен на жилье',
    'товарооборота',
    'транспортных коридоров',
    'инвестиций',
    'железнодорожного проекта',
    'цифровой трансформации',
    'трудовой миграции',
    'занятости молодежи',
    'управления водными ресурсами',
    'энергетического сотрудничества',
    'гидроэнергетики',
    'экспорта хлопка',
    'продовольственной безопасности',
    'парламентских выборов',
    'строительства газопровода',
    'безопасности границ',
    'борьбы с наркотрафиком',
    'профилактики экстремизма',
    'противодействия терроризму',
    'дерадикализации вернувшихся из Сирии',
  ],
  roles: [
    'министр иностранных дел',
    'вице-премьер',
    'посол',
    'глава делегации',
    'официальный представитель',
    'специальный представитель',
  ],
  people: [
    'Рашид Мередов',
    'Бахтиёр Саидов',
    'Мурат Нуртлеу',
    'Жээнбек Кулубаев',
    'Сироджиддин Мухриддин',
    'Кайрат Умаров',
    'Антониу Гутерриш',
    'Владимир Воронков',
  ],
  common:
    'и в на с по что для о из как это было будет также глава министр президент правительство встреча переговоры сотрудничество страны регион соглашение стороны обсудили вопросы развитие поддержка международный экономический году заявил министерство иностранных дел государство национальный после более между дальнейшего совместных планы проекты сектора рост инвестиций уровне двустороннего партнеров важные шаги меры'.split(
      ' ',
    ),
  templates: [
    '{place} и {org} обсудили вопросы {subject} в ходе встречи {inCity} в {day}.',
    '{person}, {role}, заявил, что вопросы {subject} остаются приоритетом правительства.',
    'По данным министерства, на цели {subject} в {month} выделено {num} млн долларов, на {pct}% больше, чем годом ранее.',
    'Стороны также отметили важность {subject} и {subject} для всего региона.',
    '{org} проведет конференцию по вопросам {subject} {inCity} в следующем {period}.',
    'Представители сторон договорились расширить сотрудничество в сфере {subject}.',
    '{role} подчеркнул, что решение проблем {subject} требует совместных усилий всех стран региона.',
    '{person} встретился с представителями {org} и обсудил ход {subject}.',
    'По мнению экспертов, вопросы {subject} определят отношения стран на годы вперед.',
    'Рабочая группа по вопросам {subject} создана {inCity} в {month}.',
  ],
  headlines: [
    '{place} и {org} обсудили вопросы {subject}',
    '{person} провел переговоры {inCity}',
    '{org} запускает программу {subject}',
    '{place} сообщает о ходе {subject}',
  ],
  months: [
    'январе',
    'феврале',
    'марте',
    'апреле',
    'мае',
    'июне',
    'июле',
    'августе',
    'сентябре',
    'октябре',
    'ноябре',
    'декабре',
  ],
  categories: ['Политика', 'Экономика', 'Безопасность', 'Общество', 'Регион', 'В мире'],
};

const DAYS: Record<Lang, string[]> = {
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
  ru: ['понедельник', 'вторник', 'среду', 'четверг', 'пятницу'],
};
const PERIODS: Record<Lang, string[]> = {
  en: ['week', 'month', 'year'],
  ru: ['месяце', 'году', 'квартале'],
};

/**
 * What one story is about: a story keeps to its places, organisation and subject. Lists are in
 * order of frequency (drawn by rank), so security subjects and UN counter-terrorism bodies are
 * the rarer ones, as they are in a regional news feed.
 */
type Story = Pick<Vocabulary, 'places' | 'inCities' | 'orgs' | 'subjects' | 'people'>;

function storyOf(v: Vocabulary, r: Random): Story {
  const some = (xs: string[], n: number) => Array.from({ length: n }, () => xs[r.zipf(xs.length)]!);
  return {
    places: some(v.places, 2),
    inCities: some(v.inCities, 2),
    orgs: some(v.orgs, 1),
    subjects: some(v.subjects, 1),
    people: some(v.people, 1),
  };
}

/** Fills a template from the story, and one slot in twenty from anywhere (stories digress). */
function fill(template: string, v: Vocabulary, story: Story, lang: Lang, r: Random): string {
  const from = (key: keyof Story) =>
    r.chance(0.05) ? v[key][r.zipf(v[key].length)]! : r.pick(story[key]);
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'place':
        return from('places');
      case 'inCity':
        return from('inCities');
      case 'org':
        return from('orgs');
      case 'subject':
        return from('subjects');
      case 'person':
        return from('people');
      case 'role':
        return r.pick(v.roles);
      case 'month':
        return r.pick(v.months);
      case 'day':
        return r.pick(DAYS[lang]);
      case 'period':
        return r.pick(PERIODS[lang]);
      case 'num':
        return String(r.int(2, 900));
      case 'pct':
        return String(r.int(3, 60));
      default:
        return slot;
    }
  });
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A template sentence, sometimes lengthened by a clause of common words (real sentences vary). */
function sentence(v: Vocabulary, story: Story, lang: Lang, r: Random): string {
  const base = fill(r.pick(v.templates), v, story, lang, r);
  if (!r.chance(0.5)) return capitalise(base);
  const clause = Array.from(
    { length: r.int(6, 16) },
    () => v.common[r.zipf(v.common.length)]!,
  ).join(' ');
  return capitalise(`${base.slice(0, -1)}, ${clause}.`);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Inline markup and character references as news sites write them. */
function decorate(text: string, lang: Lang, r: Random): string {
  let html = escapeHtml(text);
  if (r.chance(0.3)) html = html.replace(/^(\S+ \S+)/, '<strong>$1</strong>');
  if (r.chance(0.25))
    html = html.replace(
      / (\S+ \S+)([,.])/,
      ` <a href="https://news.example/${lang}/${r.int(10_000, 99_999)}.html">$1</a>$2`,
    );
  if (r.chance(0.2)) html = html.replace(/ - | — /, ' &mdash; ');
  if (lang === 'ru' && r.chance(0.2)) html = html.replace(/ (\S+) /, ' &laquo;$1&raquo; ');
  if (lang === 'en' && r.chance(0.2)) html = html.replace("'", '&#8217;');
  return html;
}

/** One article: 300–700 words (English) or 250–550 (Russian words are longer). */
export function article(r: Random, lang: Lang): Article {
  const v = lang === 'en' ? EN : RU;
  const story = storyOf(v, r);
  const title = capitalise(fill(r.pick(v.headlines), v, story, lang, r));
  const lead = Array.from({ length: r.int(1, 2) }, () => sentence(v, story, lang, r)).join(' ');
  const target = lang === 'en' ? r.int(300, 700) : r.int(250, 550);
  const paragraphs = [`<p>${decorate(lead, lang, r)}</p>`];
  let words = lead.split(' ').length;
  while (words < target) {
    const text = Array.from({ length: r.int(2, 4) }, () => sentence(v, story, lang, r)).join(' ');
    words += text.split(' ').length;
    paragraphs.push(
      r.chance(0.05)
        ? `<blockquote><p>${decorate(text, lang, r)}</p></blockquote>`
        : `<p>${decorate(text, lang, r)}</p>`,
    );
    if (r.chance(0.08)) {
      const id = r.int(1000, 9999);
      paragraphs.push(
        `<figure><img src="https://news.example/img/${id}.jpg" alt="${escapeHtml(title)}" width="800" height="450"/><figcaption>${escapeHtml(fill('{inCity}', v, story, lang, r))}</figcaption></figure>`,
      );
    }
  }
  const categories = Array.from(
    new Set(Array.from({ length: r.int(1, 3) }, () => r.pick(v.categories))),
  );
  return {
    lang,
    title,
    lead,
    html: paragraphs.join('\n'),
    categories,
    ...(r.chance(0.5) && { author: r.pick(v.people) }),
  };
}
