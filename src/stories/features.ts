/**
 * Everything the story engine needs to know about an item, computed once: its language, its
 * canonical link, its time, its weighted terms and its MinHash bands.
 */
import { canonicalLink } from '../feeds/item-key';
import type { Item } from '../domain/item';
import { bandHashes } from './minhash';
import { leadSentences, type StoryLang, storyLang } from './story-text';
import { storyTerms, type Terms } from './terms';
import type { Token } from '../topics/tokenize';

export interface StoryFeatures {
  lang: StoryLang;
  /** Canonical link (no scheme, `www.`, tracking parameters or trailing slash), when the item has one. */
  link?: string;
  /** Publication time, ms since the epoch. */
  at: number;
  terms: Terms;
  /** The numbers in the headline (see terms.ts). */
  numbers: string[];
  bands: number[];
}

export type StoryInput = Pick<Item, 'title' | 'description' | 'text' | 'link' | 'publishedAt'>;

/** `headline`: the title's tokens, when the matcher made them. */
export function storyFeatures(item: StoryInput, headline?: Token[]): StoryFeatures {
  const lead = leadSentences(item);
  const { terms, numbers } = storyTerms(item.title, lead, headline);
  const link = item.link ? canonicalLink(item.link) : undefined;
  return {
    lang: storyLang(item.title, ...lead),
    ...(link !== undefined && { link }),
    at: Date.parse(item.publishedAt),
    terms,
    numbers,
    bands: bandHashes(terms),
  };
}
