import { clipLead } from './clip';
import { stripLead } from './dateline';
import { quotesBalanced } from './quotes';
import { leansOnPrevious } from './references';
import { splitSentences } from './sentences';
import { dropSignOffs } from './sign-offs';

export interface SummaryOptions {
  /** The item's title; later sentences that only repeat it are left out. */
  title?: string;
  /** Matched topic terms; sentences that contain them (as whole words, any case) are favoured. */
  terms?: string[];
  /** Upper bound on the summary's length in UTF-16 code units. @default 320 */
  maxChars?: number;
  /** @default 3 */
  maxSentences?: number;
}

/** A sentence is a repeat of the title when this share of its words appear in the title. */
const TITLE_OVERLAP = 0.8;
/** Words are compared by their first letters, so "discussed" repeats "discuss". */
const STEM_LENGTH = 5;
/** How far past a lead too long to keep whole a complete sentence may be looked for. */
const LEAD_STANDINS = 3;
/** A sentence that ends without a stop is a heading, a subtitle or a caption, not prose. */
const FINAL_STOP = /[.!?…]["'”’»)\]]*$/u;

interface Candidate {
  text: string;
  index: number;
  /** Distinct matched terms in the sentence. */
  terms: number;
  score: number;
}

/**
 * An extractive summary: up to `maxSentences` sentences, in their original order, after the
 * dateline, byline, credits and sign-offs are gone. The lead opens it, even when it repeats the
 * title, since news puts what happened first; when the lead alone is too long, a complete sentence
 * soon after it that stands on its own opens it instead, and only when there is none is the lead
 * cut at a word with "…", keeping the clause that names its source. The other sentences are
 * chosen by how many distinct `terms` they name and by position, and only whole: never one with
 * an open quotation or without a final stop (a heading), and never one that leans on the sentence
 * before it ("He added…", "Это…") unless that sentence is kept too.
 */
export function summarize(text: string, options: SummaryOptions = {}): string {
  const maxChars = Math.floor(options.maxChars ?? 320);
  const maxSentences = Math.max(1, Math.floor(options.maxSentences ?? 3));
  if (!(maxChars > 0)) return '';

  const sentences = splitSentences(stripLead(dropSignOffs(text)));
  const prose = sentences.filter((s) => FINAL_STOP.test(s));
  const pool = prose.length > 0 ? prose : sentences;
  const matchers = (options.terms ?? [])
    .map(termMatcher)
    .filter((m): m is RegExp => m !== undefined);
  const candidates: Candidate[] = pool.map((sentence, index) => {
    const terms = matchers.filter((m) => m.test(sentence)).length;
    return { text: sentence, index, terms, score: 1 / (1 + index) + terms };
  });
  const lead = candidates[0];
  if (!lead) return '';

  const titleStems = stemsOf(options.title ?? '');
  const whole = (c: Candidate) => c.text.length <= maxChars && quotesBalanced(c.text);
  const standsAlone = (c: Candidate) =>
    whole(c) && !leansOnPrevious(c.text) && !repeatsTitle(c.text, titleStems);
  const opening = whole(lead) ? lead : candidates.slice(1, 1 + LEAD_STANDINS).find(standsAlone);
  if (!opening) return clipLead(lead.text, maxChars);

  const chosen = new Set([opening]);
  let used = opening.text.length;
  const others = candidates
    .filter((c) => c.index > opening.index && whole(c) && !repeatsTitle(c.text, titleStems))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  // A sentence that leans on the one before may follow once that one is in, hence the passes.
  for (let added = true; added && chosen.size < maxSentences; ) {
    added = false;
    for (const candidate of others) {
      if (chosen.size >= maxSentences) break;
      if (chosen.has(candidate)) continue;
      const cost = 1 + candidate.text.length;
      if (used + cost > maxChars) continue;
      const previous = candidates[candidate.index - 1];
      if (leansOnPrevious(candidate.text) && !(previous && chosen.has(previous))) continue;
      chosen.add(candidate);
      used += cost;
      added = true;
    }
  }
  return [...chosen]
    .sort((a, b) => a.index - b.index)
    .map((c) => c.text)
    .join(' ');
}

function repeatsTitle(sentence: string, titleStems: Set<string>): boolean {
  if (titleStems.size === 0) return false;
  const stems = [...stemsOf(sentence)];
  if (stems.length === 0) return false;
  return stems.filter((s) => titleStems.has(s)).length / stems.length >= TITLE_OVERLAP;
}

/** Stems of the words of three letters or more: short words ("a", "of", "UN") decide nothing. */
function stemsOf(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  return new Set(words.map((w) => w.slice(0, STEM_LENGTH)));
}

function termMatcher(term: string): RegExp | undefined {
  const trimmed = term.trim();
  if (!trimmed) return undefined;
  const pattern = trimmed
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`, 'iu');
}
