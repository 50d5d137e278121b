/**
 * The weighted terms of a story's headline and lead. Two outlets reporting one event share its
 * names, numbers and dates far more reliably than their wording, so those weigh more:
 *
 * - an entity (a word in capitals, UN, ООН; or a capitalised word that does not open a sentence,
 *   Tokayev, Ashgabat) weighs ENTITY; a headline in Title Case says nothing about which of its
 *   words are names, so there only words in capitals count as entities (a name in such a headline
 *   usually comes back in the lead, where it does count);
 * - a number (any token with a digit: 15, 2026, 1.5 is two tokens) weighs NUMBER;
 * - any other word weighs 1; stop words are dropped.
 *
 * A term is the first PREFIX letters of the normalised word (a number is kept whole). Outlets name
 * one thing in forms the light stemmer does not join: Kazakh and Kazakhstan, Afghan and
 * Afghanistan, Мирзиёев, Мирзиёева and Мирзиёевым. A prefix joins them, crudely but alike on both
 * sides of a comparison; what it wrongly joins (national, nations) are mostly weight-1 words.
 */
import { type Token, tokenize } from '../topics/tokenize';
import { NUMERIC, UPPER_CASE } from '../text/code-class';
import { STOPWORDS } from './stopwords';

export const ENTITY = 3;
export const NUMBER = 3;
const PREFIX = 5;

/** Term → weight. */
export type Terms = Map<string, number>;

function termOf(norm: string, number: boolean): string {
  return number ? norm : norm.slice(0, PREFIX);
}

/** Most longer words capitalised: "Kazakhstan, Uzbekistan Sign Water Deal". */
function isTitleCase(title: Token[]): boolean {
  const long = title.filter((t) => t.norm.length >= 4 && !NUMERIC.any(t.norm));
  const capitalised = long.filter((t) => UPPER_CASE.first(t.raw)).length;
  return long.length >= 3 && capitalised / long.length > 0.6;
}

/** Adds one sentence's terms (a headline counts as one sentence). */
function add(terms: Terms, sentence: Token[], namesByCase: boolean): void {
  sentence.forEach((t, i) => {
    if (!t.caps && STOPWORDS.has(t.norm)) return; // US is a name, "us" is not
    const number = NUMERIC.any(t.norm);
    const term = termOf(t.norm, number);
    let weight = 1;
    if (number) weight = NUMBER;
    else if (t.caps || (namesByCase && i > 0 && UPPER_CASE.first(t.raw))) weight = ENTITY;
    terms.set(term, Math.max(terms.get(term) ?? 0, weight));
  });
}

/**
 * The numbers of a headline. Two reports whose headlines each carry a number the other report
 * never mentions are two editions of one format ("business digest: March 4", "… March 5", or
 * "in 5 charts: week 11", "… week 12") or two figures of one series, not one event retold (see
 * same-story.ts).
 */
function headlineNumbers(title: Token[]): string[] {
  return [...new Set(title.filter((t) => NUMERIC.any(t.norm)).map((t) => t.norm))];
}

/**
 * The terms of a headline and of its lead's sentences, and the headline's numbers. `headline`:
 * the title's tokens, when the matcher made them.
 */
export function storyTerms(
  title: string,
  lead: readonly string[],
  headline: Token[] = tokenize(title),
): { terms: Terms; numbers: string[] } {
  const terms: Terms = new Map();
  add(terms, headline, !isTitleCase(headline));
  for (const sentence of lead) add(terms, tokenize(sentence), true);
  return { terms, numbers: headlineNumbers(headline) };
}
