import { stripLead } from './dateline';
import { splitSentences } from './sentences';

export interface SummaryOptions {
  /** The item's title; sentences that only repeat it are left out. */
  title?: string;
  /** Matched topic terms; sentences that contain them (as whole words, any case) are favoured. */
  terms?: string[];
  /** Upper bound on the summary's length in UTF-16 code units. @default 320 */
  maxChars?: number;
  /** @default 3 */
  maxSentences?: number;
}

const ELLIPSIS = '…';
/** A sentence is a repeat of the title when this share of its words appear in the title. */
const TITLE_OVERLAP = 0.8;
/** Words are compared by their first letters, so "discussed" repeats "discuss". */
const STEM_LENGTH = 5;
/** Punctuation that would dangle before the ellipsis: "area, …". */
const DANGLING = new Set([...' ,;:([«"“\'‘‒–—-']);

interface Candidate {
  text: string;
  index: number;
  /** Distinct matched terms in the sentence. */
  terms: number;
  score: number;
}

/**
 * An extractive summary: up to `maxSentences` sentences, in their original order, chosen by
 * position (the lead first) and by how many distinct `terms` they contain. The first sentence
 * chosen — the lead, unless only later sentences name a matched term — is always taken, cut at a
 * word boundary with "…" when it alone is too long; the others only if they fit whole.
 */
export function summarize(text: string, options: SummaryOptions = {}): string {
  const maxChars = Math.floor(options.maxChars ?? 320);
  const maxSentences = Math.max(1, Math.floor(options.maxSentences ?? 3));
  if (!(maxChars > 0)) return '';

  const titleStems = stemsOf(options.title ?? '');
  const sentences = splitSentences(stripLead(text)).filter((s) => !repeatsTitle(s, titleStems));
  const matchers = (options.terms ?? [])
    .map(termMatcher)
    .filter((m): m is RegExp => m !== undefined);
  // A matched term weighs as much as being the lead: a sentence with more distinct terms than the
  // lead wins, and position decides between sentences with as many.
  const candidates: Candidate[] = sentences.map((sentence, index) => {
    const terms = matchers.filter((m) => m.test(sentence)).length;
    return { text: sentence, index, terms, score: 1 / (1 + index) + terms };
  });
  const ranked = [...candidates].sort((a, b) => b.score - a.score || a.index - b.index);
  // News puts what happened first: a lead that names any matched term (or any lead, when there are
  // no terms) opens the summary, however many terms a later sentence piles up.
  const lead = candidates[0];
  const leadFirst = lead !== undefined && (lead.terms > 0 || matchers.length === 0);
  const best = leadFirst ? lead : ranked[0];
  if (!best) return '';
  const others = ranked.filter((c) => c !== best);
  if (best.text.length > maxChars) return clipAtWord(best.text, maxChars);

  const chosen = [best];
  let used = best.text.length;
  for (const candidate of others) {
    if (chosen.length >= maxSentences) break;
    const cost = 1 + candidate.text.length;
    if (used + cost > maxChars) continue;
    chosen.push(candidate);
    used += cost;
  }
  return chosen
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

/** Cuts `text` to at most `maxChars` at the last space that leaves room for "…". */
function clipAtWord(text: string, maxChars: number): string {
  const room = maxChars - ELLIPSIS.length;
  if (room <= 0) return '';
  const space = text.charAt(room) === ' ' ? room : text.lastIndexOf(' ', room - 1);
  // One word longer than the room has no boundary to cut at; cut it, keeping surrogate pairs whole.
  const cut = space > 0 ? space : isHighSurrogate(text.charCodeAt(room - 1)) ? room - 1 : room;
  let end = cut;
  while (end > 0 && DANGLING.has(text.charAt(end - 1))) end--;
  const head = text.slice(0, end || cut);
  return head ? head + ELLIPSIS : '';
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
