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
 * Russian, in order:
 *   1. a reflexive -ся/-сь drops when 4 letters remain (встретился → встретил, обсуждается →
 *      обсуждает): news writes the same verb with and without it;
 *   2. the longest common noun/adjective case ending (see RU_ENDINGS) is removed, provided at
 *      least 3 letters remain; otherwise the next shorter ending is tried;
 *   3. a verb suffix (see RU_VERB: past -ал/-ил…, present -ает/-ит/-уют…, infinitive -ать/-ить…
 *      whose -ь step 2 took) is removed when 4 letters remain: встретил, встретила, встретиться
 *      → встрет; участвовал, участвует → участв.
 *   Step 3 also cuts some nouns (комитет → комит, генерал → генер), but it cuts every case of a
 *   noun alike, since it runs after step 2 has taken the case ending: the forms of a noun still
 *   share a key. Aspect pairs keep two keys (сообщил ≠ сообщает), as in any suffix stemmer.
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

/** Verb suffixes of step 3, longest first; -овал/-оват/-ует/-уют bring -овать verbs together. */
const RU_VERB = [
  'овал',
  'оват',
  'ует',
  'уют',
  'ает',
  'яет',
  'еет',
  'ают',
  'яют',
  'еют',
  'ал',
  'ял',
  'ил',
  'ел',
  'ыл',
  'ул',
  'ат',
  'ят',
  'ит',
  'ет',
  'ыт',
  'ут',
  'ют',
].sort((a, b) => b.length - a.length);
const MIN_VERB_STEM = 4;

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
  const reflexive = /с[яь]$/.test(word) && word.length - 2 >= MIN_VERB_STEM;
  const base = stripLongest(reflexive ? word.slice(0, -2) : word, RU_ENDINGS, MIN_STEM);
  return stripLongest(base, RU_VERB, MIN_VERB_STEM);
}

/** `word` without the longest of `endings` that leaves at least `min` letters. */
function stripLongest(word: string, endings: readonly string[], min: number): string {
  for (const ending of endings) {
    if (word.endsWith(ending) && word.length - ending.length >= min) {
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
