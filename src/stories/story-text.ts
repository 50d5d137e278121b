/**
 * What two reports of one event share: the headline and the lead. Outlets add their own
 * background further down (earlier meetings, the country's history), so the body would make two
 * reports of one event look less alike and two events in one country look more alike.
 */
import type { Item } from '../domain/item';
import { stripLead } from '../text/dateline';
import { splitSentences } from '../text/sentences';

export type StoryLang = 'en' | 'ru' | 'other';

/** Two sentences: agencies put the event in the first, and sometimes its venue or date in the second. */
const LEAD_SENTENCES = 2;
/** A lead longer than this is a paragraph with no sentence breaks; more of it adds background. */
const LEAD_CHARS = 400;

/**
 * What is read for the lead: a dateline and the lead fit in it. A feed's summary is often the
 * whole article (5 KB and more), and the dateline patterns and the sentence splitter cost by the
 * character: over whole summaries they were most of what deciding a story cost.
 */
const LEAD_SCAN = 2 * LEAD_CHARS;
/**
 * What is split into sentences after the dateline: the lead and the words that tell whether a
 * full stop within it ends a sentence. (A quotation that opens in the lead and closes beyond this
 * is then split at its full stops, where the whole text would keep it one sentence too long for
 * the lead and cut it at a word: either way the lead is its opening words.)
 */
const SPLIT_CHARS = LEAD_CHARS + 100;

/** The part of an item's text its lead is read from. */
export function leadSource(item: Pick<Item, 'description' | 'text'>): string {
  return (item.description || item.text).slice(0, LEAD_SCAN);
}

/**
 * The lead's sentences: the first of the feed's summary (or of the body without one), dateline
 * removed, cut at a word within LEAD_CHARS.
 */
export function leadSentences(item: Pick<Item, 'description' | 'text'>): string[] {
  const source = stripLead(leadSource(item));
  const out: string[] = [];
  let length = 0;
  for (const sentence of splitSentences(source.slice(0, SPLIT_CHARS), LEAD_SENTENCES)) {
    const room = LEAD_CHARS - length;
    if (sentence.length > room) {
      const cut = sentence.lastIndexOf(' ', room);
      if (cut > 0) out.push(sentence.slice(0, cut));
      break;
    }
    out.push(sentence);
    length += sentence.length + 1;
  }
  return out;
}

/**
 * English and Russian reports are clustered apart. The feed's declared language is a hint that is
 * often wrong (a Russian service declaring `en`), so the letters decide: Cyrillic or Latin, by
 * majority over all of `texts`; anything else (Kazakh in Latin letters reads as `en`, which only
 * costs a comparison). The texts are counted one by one rather than joined: reading a joined
 * string character by character cost ten times as much as the counting (V8 reads a
 * concatenation through its parts).
 */
export function storyLang(...texts: string[]): StoryLang {
  let cyrillic = 0;
  let latin = 0;
  for (const text of texts)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i) | 0x20; // ASCII letters to lower case; others unchanged or not letters
      if (c >= 0x61 && c <= 0x7a) latin++;
      else if (c >= 0xc0 && c <= 0x24f) latin++;
      else if (c >= 0x400 && c <= 0x4ff) cyrillic++;
    }
  if (cyrillic === 0 && latin === 0) return 'other';
  return cyrillic > latin ? 'ru' : 'en';
}
