/**
 * What two reports of one event share: the headline and the lead. Outlets add their own
 * background further down (earlier meetings, the country's history), so the body would make two
 * reports of one event look less alike and two events in one country look more alike.
 */
import type { Item } from '../feeds/item';
import { stripLead } from '../text/dateline';
import { splitSentences } from '../text/sentences';

export type StoryLang = 'en' | 'ru' | 'other';

/** Two sentences: agencies put the event in the first, and sometimes its venue or date in the second. */
const LEAD_SENTENCES = 2;
/** A lead longer than this is a paragraph with no sentence breaks; more of it adds background. */
const LEAD_CHARS = 400;

/** The lead: the first sentences of the feed's summary (or of the body without one), dateline removed. */
export function leadOf(item: Pick<Item, 'description' | 'text'>): string {
  const source = stripLead(item.description || item.text.slice(0, 2 * LEAD_CHARS));
  const lead = splitSentences(source).slice(0, LEAD_SENTENCES).join(' ');
  return lead.length <= LEAD_CHARS ? lead : lead.slice(0, lead.lastIndexOf(' ', LEAD_CHARS));
}

const CYRILLIC = /\p{Script=Cyrillic}/gu;
const LATIN = /\p{Script=Latin}/gu;

/**
 * English and Russian reports are clustered apart. The feed's declared language is a hint that is
 * often wrong (a Russian service declaring `en`), so the letters decide: Cyrillic or Latin, by
 * majority; anything else (Kazakh in Latin letters reads as `en`, which only costs a comparison).
 */
export function storyLang(text: string): StoryLang {
  const cyrillic = text.match(CYRILLIC)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (cyrillic === 0 && latin === 0) return 'other';
  return cyrillic > latin ? 'ru' : 'en';
}
