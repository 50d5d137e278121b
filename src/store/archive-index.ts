/**
 * What the archive indexes per day, and under which names. Each day has one list of all its
 * items, one per feed, one per matched topic, and one per word of the searchable text. Words are
 * the shared tokenizer's stemmed keys (so a query word meets its inflections), and a word written
 * in capitals is also indexed under its exact form (`^un`), so `UN` finds UN and not French "un"
 * without reading the items.
 */
import type { Item } from '../domain/item';
import { type DocTokens, type Token, tokenize } from '../topics/tokenize';
import type { MatchDoc } from '../domain/match';
import { digest } from './hash';

export type IndexRef =
  | { kind: 'all' }
  | { kind: 'feed'; id: string }
  | { kind: 'topic'; id: string }
  | { kind: 'word'; name: string };

export interface ListRef {
  day: string;
  index: IndexRef;
}

/** An archived item, by its place. */
export const slotKey = (day: string, ord: number) => `arch:at:${day}:${ord}`;
/** Item key → `[day, ord]`. */
export const pointerKey = (key: string) => `arch:key:${key.length <= 64 ? key : digest(key)}`;
/** The next ordinal of a day: reserved before anything names it, so it is never handed out twice. */
export const seqKey = (day: string) => `arch:seq:${day}`;
/** The sorted list of days that hold items: what queries and retention start from. */
export const DAYS_KEY = 'arch:days';

/** Names go into store keys: anything long or unusual is replaced by its digest. */
const safe = (part: string) => (/^[\p{L}\p{N}_^.-]{1,48}$/u.test(part) ? part : `~${digest(part)}`);

export function listName(day: string, index: IndexRef): string {
  switch (index.kind) {
    case 'all':
      return `arch:l:${day}:a`;
    case 'feed':
      return `arch:l:${day}:f:${safe(index.id)}`;
    case 'topic':
      return `arch:l:${day}:t:${safe(index.id)}`;
    case 'word':
      return `arch:l:${day}:w:${safe(index.name)}`;
  }
}

/** The lede stands in for a feed that gives no description: about as long as one. */
const LEDE_CHARS = 600;

/**
 * The text that text search reads: the title and the description (or the lede of the body when
 * the feed has no description). Bodies are not indexed: they are ten times longer, and indexing
 * them would multiply every write for words that rarely decide what an item is about.
 */
export function searchDoc(item: Pick<Item, 'title' | 'description' | 'text'>): MatchDoc {
  const description = item.description || item.text.slice(0, ledeEnd(item.text).at);
  return { title: item.title, description, text: '' };
}

/** Where the lede of a body ends; `clean` when no word of the body crosses that end. */
function ledeEnd(text: string): { at: number; clean: boolean } {
  if (text.length <= LEDE_CHARS) return { at: text.length, clean: true };
  const space = text.lastIndexOf(' ', LEDE_CHARS);
  return space > 0 ? { at: space, clean: true } : { at: LEDE_CHARS, clean: false };
}

/**
 * The tokens of the search text, taken from the item's tokens when the matcher made them. A lede
 * that ends at a space (or the body's end) holds exactly the body's words that end before it: no
 * word, acronym or possessive is read across a space. One cut inside a word is tokenized.
 */
function searchTokens(
  item: Pick<Item, 'title' | 'description' | 'text'>,
  tokens: DocTokens | undefined,
): Token[] {
  const lede = ledeEnd(item.text);
  if (tokens && (item.description || lede.clean)) {
    // Title and description come before the body's tokens.
    const body = tokens.findIndex((t) => t.field === 'text');
    let end = body === -1 ? tokens.length : body;
    if (!item.description) while (end < tokens.length && tokens[end]!.end <= lede.at) end++;
    return tokens.slice(0, end);
  }
  const doc = searchDoc(item);
  return [...tokenize(doc.title), ...tokenize(doc.description)];
}

/** The index name of a query word: capitals (UN, ООН) look in the exact-capitals list. */
export function wordName(word: { key: string; norm: string; caps: boolean }): string {
  return word.caps ? `^${word.norm}` : word.key;
}

/** The distinct word names an item is indexed under; `tokens`: the item's, when the matcher made them. */
export function indexWords(
  item: Pick<Item, 'title' | 'description' | 'text'>,
  tokens?: DocTokens,
): string[] {
  const names = new Set<string>();
  for (const t of searchTokens(item, tokens)) {
    names.add(t.key);
    if (t.caps) names.add(`^${t.norm}`);
  }
  return [...names];
}
