/**
 * Everything the story engine needs to know about an item, computed once: its language, its
 * canonical link, its time, its weighted terms and its MinHash bands.
 */
import { canonicalLink } from '../feeds/item-key';
import type { Item } from '../domain/item';
import { bandHashes } from './minhash';
import { leadSentences, leadSource, type StoryLang, storyLang } from './story-text';
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

/** The features an item's text gives (all but its link and time): see `featureText`. */
export type TextFeatures = Pick<StoryFeatures, 'lang' | 'terms' | 'numbers' | 'bands'>;

/** `headline`: the title's tokens, when the matcher made them. */
export function textFeatures(
  item: Pick<Item, 'title' | 'description' | 'text'>,
  headline?: Token[],
): TextFeatures {
  const lead = leadSentences(item);
  const { terms, numbers } = storyTerms(item.title, lead, headline);
  return { lang: storyLang(item.title, ...lead), terms, numbers, bands: bandHashes(terms) };
}

export function storyFeatures(item: StoryInput, headline?: Token[]): StoryFeatures {
  const link = item.link ? canonicalLink(item.link) : undefined;
  return {
    ...textFeatures(item, headline),
    ...(link !== undefined && { link }),
    at: Date.parse(item.publishedAt),
  };
}

/**
 * Names the way features are made from an item's text (`storyFeatures`): change it with them, so
 * that members stored before are not taken as having the features the new code would give.
 */
const FEATURES_VERSION = 1;

/**
 * All an item's features are made of besides its link and time: two items with the same text
 * here have the same language, terms, numbers and bands. A reprint filed by its link is told by
 * it (a digest of it is stored with each member) and takes its features from the member it
 * reprints, instead of reading its headline and lead again.
 */
export function featureText(item: Pick<Item, 'title' | 'description' | 'text'>): string {
  return `${FEATURES_VERSION}\n${item.title}\n${leadSource(item)}`;
}
