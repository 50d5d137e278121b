/**
 * Light stemmers for English and Russian: suffix stripping only, no dictionary. The goal is that
 * the inflections a news lede uses (Туркменистана, Туркменистаном; talks, hosted, financing) meet
 * the form written in a query — not linguistic accuracy. Both sides of a match go through the same
 * function, so an odd stem (`state` → `stat`) is harmless as long as it is predictable.
 *
 * Input is a normalised word (lower case, diacritics stripped; see tokenize.ts). Words with
 * Cyrillic letters use the Russian rules, words of Latin letters only the English rules, anything
 * else (digits, other scripts) is returned unchanged.
 *
 * English, in order:
 *   1. plurals: -ies → -y; -sses/-xes/-zes/-ches/-shes drop -es; other -s drops, except after s, u, i
 *      (class, bus, crisis) and a few words where -s is not a plural (news, series…);
 *   2. -ied → -y; -ed and -ing drop when at least 6 letters long, then a doubled final consonant
 *      is undoubled (planned → plan) except ll, ss, zz;
 *   3. a final -e drops (finance, financing → financ; state, states, stated → stat).
 *   Words of 3 letters or fewer are left alone (UN, US, gas).
 *   The possessive 's is removed by the tokenizer, not here.
 *
 * Russian: the longest common noun/adjective case ending (see RU_ENDINGS) is removed, provided at
 * least 3 letters remain; otherwise the next shorter ending is tried. Verbs are not handled.
 * Surnames in -ов/-ев/-ин stem inconsistently across cases (Воронков → воронк, Воронкова →
 * воронков): write them as a prefix in queries (`Воронков*`).
 */

const MIN_STEM = 3;

const RU_ENDINGS = [
  'иями',
  'ями',
  'ами',
  'иях',
  'ием',
  'ией',
  'ого',
  'его',
  'ому',
  'ему',
  'ыми',
  'ими',
  'ая',
  'яя',
  'ое',
  'ее',
  'ую',
  'юю',
  'ой',
  'ей',
  'ый',
  'ий',
  'ые',
  'ие',
  'ых',
  'их',
  'ым',
  'им',
  'ою',
  'ею',
  'ов',
  'ев',
  'ом',
  'ем',
  'ам',
  'ям',
  'ах',
  'ях',
  'ия',
  'ии',
  'ию',
  'ью',
  'а',
  'я',
  'о',
  'е',
  'у',
  'ю',
  'ы',
  'и',
  'ь',
  'й',
].sort((a, b) => b.length - a.length);

/** Words ending in -s that are not plurals, where stripping would merge unrelated words. */
const EN_KEEP_S = new Set([
  'news',
  'series',
  'species',
  'always',
  'perhaps',
  'unless',
  'whereas',
  'various',
]);

const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN_WORD = /^[a-z]+$/;

export function stem(word: string): string {
  if (CYRILLIC.test(word)) return stemRussian(word);
  if (LATIN_WORD.test(word)) return stemEnglish(word);
  return word;
}

function stemRussian(word: string): string {
  for (const ending of RU_ENDINGS) {
    if (word.endsWith(ending) && word.length - ending.length >= MIN_STEM) {
      return word.slice(0, -ending.length);
    }
  }
  return word;
}

function stemEnglish(word: string): string {
  if (word.length <= 3) return word;
  let w = stripPlural(word);
  if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ed') && w.length >= 6) w = undouble(w.slice(0, -2));
  else if (w.endsWith('ing') && w.length >= 6) w = undouble(w.slice(0, -3));
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

function stripPlural(w: string): string {
  if (EN_KEEP_S.has(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(?:ss|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !/[sui]s$/.test(w)) return w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  const last = w.at(-1);
  if (last && last === w.at(-2) && !'aeiouylsz'.includes(last)) return w.slice(0, -1);
  return w;
}
