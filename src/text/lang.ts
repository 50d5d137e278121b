/**
 * The language of an item that does not declare one, from its script and its commonest words: what
 * a topic's `lang:` scope reads. Covers the languages the region's news is written in — English,
 * Russian, Kazakh, Kyrgyz, Uzbek and Tajik (Cyrillic, and Latin for Kazakh and Uzbek) — and says
 * nothing (undefined) rather than guess for anything else.
 *
 * Cyrillic: each Central Asian language writes letters Russian lacks (Kazakh ә ұ і һ, Uzbek ў,
 * Tajik ҷ ӣ ӯ, Kyrgyz ң ө ү without the Kazakh ones). A Russian article quoting a Kazakh name has
 * a few of them; a Kazakh article has them in one word in ten, so they count from 1 % of the
 * letters. Latin: the most frequent function words of English, Uzbek and Kazakh decide, helped by
 * the letters only Kazakh (ä ğ ñ ū ı) or Uzbek (oʻ gʻ) write. Only the first few thousand
 * characters are read: the lead says as much as the whole article.
 */

/** ISO 639-1 codes this module can answer. */
export type DetectedLang = 'en' | 'ru' | 'kk' | 'ky' | 'uz' | 'tg' | 'uk';

const SAMPLE = 3000;
/** Share of a text's Cyrillic letters that must be a language's own letters. */
const OWN_LETTERS_SHARE = 0.01;
/** Function words needed before a Latin-script text is given a language. */
const MIN_WORDS = 2;

/** Letters of one language only, among these (Tajik and Uzbek share ҳ қ ғ, so those do not count). */
const CYRILLIC_OWN: Array<[DetectedLang, RegExp]> = [
  ['kk', /[әұіһ]/g],
  ['uz', /ў/g],
  ['tg', /[ҷӣӯ]/g],
  ['uk', /[їєґ]/g],
];
/** Kyrgyz writes ң ө ү, which Kazakh writes too. */
const KYRGYZ = /[ңөү]/g;

const LATIN_WORDS: Record<'en' | 'uz' | 'kk', Set<string>> = {
  en: new Set('the of and to in is for on with that was said by from at as has'.split(' ')),
  uz: new Set(
    'va bilan uchun bu ham esa yil boʻyicha bo‘yicha hamda qilish etildi mumkin'.split(' '),
  ),
  kk: new Set('jäne men üşin bul osy boiynşa bolyp turaly degen edi'.split(' ')),
};
const LATIN_OWN: Array<['uz' | 'kk', RegExp]> = [
  ['kk', /[äğñūı]/g],
  ['uz', /[og][ʻ‘'’]/g],
];

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

export function detectLanguage(text: string): DetectedLang | undefined {
  const sample = text.slice(0, SAMPLE).toLowerCase();
  const cyrillic = count(sample, /\p{Script=Cyrillic}/gu);
  const latin = count(sample, /\p{Script=Latin}/gu);
  if (cyrillic === 0 && latin === 0) return undefined;
  return cyrillic >= latin ? cyrillicLanguage(sample, cyrillic) : latinLanguage(sample);
}

function cyrillicLanguage(sample: string, letters: number): DetectedLang {
  const enough = Math.max(2, letters * OWN_LETTERS_SHARE);
  const best = CYRILLIC_OWN.map(([lang, own]) => ({ lang, n: count(sample, own) })).reduce(
    (a, b) => (b.n > a.n ? b : a),
  );
  if (best.n >= enough) return best.lang;
  return count(sample, KYRGYZ) >= enough ? 'ky' : 'ru';
}

function latinLanguage(sample: string): DetectedLang | undefined {
  const words = sample.match(/[\p{L}ʻ‘'’]+/gu) ?? [];
  const scores = (Object.keys(LATIN_WORDS) as Array<keyof typeof LATIN_WORDS>).map((lang) => {
    const own = LATIN_OWN.find(([l]) => l === lang)?.[1];
    const hits = words.filter((w) => LATIN_WORDS[lang].has(w)).length;
    return { lang, score: hits + (own ? Math.min(count(sample, own), hits + MIN_WORDS) : 0) };
  });
  scores.sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (!best || best.score < MIN_WORDS || best.score === second?.score) return undefined;
  return best.lang;
}

/** `en-US`, `EN`, `ru_RU` → `en`, `en`, `ru`: the part a `lang:` scope compares. */
export function baseLanguage(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}
