/**
 * The one-line reason a post gives for an item: "UN Counter-Terrorism Office · Turkmenistan".
 * Match.hits is already ordered most informative first (score.ts); this takes the first few and
 * leaves out a term whose words all appear in a term already shown (UN after "UN Counter-Terrorism
 * Office"), so two to four different things are named.
 */
import { tokenize } from './tokenize';
import type { Match } from '../domain/match';

/** @default maxTerms 3 */
export function explainMatch(match: Match, maxTerms = 3): string {
  const shown: Array<{ term: string; keys: string[] }> = [];
  for (const hit of match.hits) {
    if (shown.length >= maxTerms) break;
    const keys = tokenize(hit.term).map((t) => t.key);
    if (shown.some((s) => keys.every((k) => s.keys.includes(k)))) continue;
    shown.push({ term: hit.term, keys });
  }
  return shown.map((s) => s.term).join(' · ');
}
