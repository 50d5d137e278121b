/**
 * What the archive indexes per day, and under which names. Each day has one list of all its
 * items, one per feed, one per matched topic, and one per word of the searchable text. Words are
 * the shared tokenizer's stemmed keys (so a query word meets its inflections), and a word written
 * in capitals is also indexed under its exact form (`^un`), so `UN` finds UN and not French "un"
 * without reading the items.
 */
import type { Item } from '../domain/item';
import { tokenize } from '../topics/tokenize';
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
  let description = item.description;
  if (!description && item.text) {
    const cut =
      item.text.length <= LEDE_CHARS ? item.text.length : item.text.lastIndexOf(' ', LEDE_CHARS);
    description = item.text.slice(0, cut > 0 ? cut : LEDE_CHARS);
  }
  return { title: item.title, description, text: '' };
}

/** The index name of a query word: capitals (UN, ООН) look in the exact-capitals list. */
export function wordName(word: { key: string; norm: string; caps: boolean }): string {
  return word.caps ? `^${word.norm}` : word.key;
}

/** The distinct word names an item is indexed under. */
export function indexWords(item: Pick<Item, 'title' | 'description' | 'text'>): string[] {
  const doc = searchDoc(item);
  const names = new Set<string>();
  for (const text of [doc.title, doc.description]) {
    for (const t of tokenize(text)) {
      names.add(t.key);
      if (t.caps) names.add(`^${t.norm}`);
    }
  }
  return [...names];
}
