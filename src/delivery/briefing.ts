import type { Item } from '../domain/item';
import { httpUrl } from '../feeds/item-key';

/**
 * One item ready to be told to someone: the message model every renderer (Discord embed,
 * digest line, console block) reads. Everything in it except ids is untrusted feed or config
 * text; renderers make it safe for their medium.
 */
export interface Briefing {
  item: Item;
  /** The source as people know it, e.g. "Trend — Central Asia". */
  feedName: string;
  /** An extractive summary, already computed; plain text, paragraphs separated by blank lines. */
  summary: string;
  topics: BriefingTopic[];
  /**
   * Set when this message stands for that many new items of the feed, over what one poll or one
   * channel may post (`item` is the newest of them): renderers say "N more" and where to read them.
   */
  folded?: number;
  /** The story the item belongs to, with every source known when the briefing was built. */
  story?: BriefingStory;
  /** A later source of a story already briefed to this target: told as an update, not a briefing. */
  update?: boolean;
}

/** "12,345 more new items from Trend — Central Asia": the first words of a folded message. */
export function foldedHeadline(b: Briefing, feedName: string): string {
  const n = b.folded ?? 0;
  return `${n.toLocaleString('en-US')} more new item${n === 1 ? '' : 's'} from ${feedName}`;
}

export interface BriefingStory {
  id: string;
  /** In arrival order, the first source first. */
  sources: BriefingSource[];
  /** Sources counted, including any beyond the list. */
  count: number;
}

export interface BriefingSource {
  feedId: string;
  feedName: string;
  itemKey: string;
  title: string;
  link?: string;
}

export interface BriefingTopic {
  id: string;
  name: string;
  score: number;
  /** Why the item matched, e.g. "UN Counter-Terrorism Office · Turkmenistan". */
  why: string;
}

/**
 * Control characters other than tab and newline (an ESC would drive a terminal), bidi
 * embeddings, overrides and isolates (they can reverse the text around them, including ours),
 * and interlinear annotation controls.
 */
const UNSAFE_CHARS =
  /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]/g;
/** A surrogate half without its partner: not text, and invalid once encoded as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Feed text made safe to show anywhere: line breaks become `\n`, nothing invisible steers the display. */
export function plainText(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(/[\v\f]/g, ' ')
    .replace(UNSAFE_CHARS, '')
    .replace(LONE_SURROGATE, '\ufffd');
}

/** Safe text on a single line, whitespace collapsed: for titles, names and list entries. */
export function oneLine(text: string): string {
  return plainText(text).replace(/\s+/g, ' ').trim();
}

/**
 * Longest URL kept as a link. Discord does not document its embed URL limit; 2048 is the figure
 * commonly observed, and longer item links are almost always tracking noise.
 */
export const MAX_LINK_LENGTH = 2048;

/**
 * The item's link if it is one we may put in front of people: http(s) only (no `javascript:`),
 * no credentials (`https://bank.example@evil.example` is a phishing shape), and of sane length.
 */
export function safeLink(link: string | undefined): string | undefined {
  const url = link ? httpUrl(link) : undefined;
  if (!url || url.username || url.password) return undefined;
  return url.href.length <= MAX_LINK_LENGTH ? url.href : undefined;
}

/**
 * When the item was published, if its date is real and printable: Discord rejects embed
 * timestamps outside four-digit years, and `<t:…>` before 1970 reads as nonsense.
 */
export function publishedDate(item: Pick<Item, 'publishedAt'>): Date | undefined {
  const ms = Date.parse(item.publishedAt);
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  return year >= 1970 && year <= 9999 ? date : undefined;
}
