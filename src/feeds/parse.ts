/**
 * Feed text → RawFeed. rss-parser reads it first; where rss-parser throws, refuses, or finds no
 * entries, feedsmith gets a go (it tolerates bare `&` and unquoted attributes, and reads JSON
 * Feed). A body that is not a feed becomes a permanent FeedError whose message says what it was
 * instead. Nothing but FeedError leaves this module.
 */
import { FeedError } from '../errors';
import type { RawFeed } from '../domain/item';
import { withXhtmlBodies } from './parse-bodies';
import { channelAsRss } from './parse-cdf';
import { readWithFeedsmith } from './parse-feedsmith';
import { readWithRssParser } from './parse-rss-parser';

const FEED_ROOTS = new Set(['rss', 'feed', 'rdf:rdf']);

/** Skips the prolog (BOM, whitespace, XML declaration, comments, doctype, PIs) within `head`. */
const PROLOG = /^(?:\uFEFF|\s+|<\?[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[^\]]*\])?\s*>)*/i;

function prologLength(head: string): number {
  return PROLOG.exec(head)?.[0].length ?? 0;
}

/** The first element's name, lowercased, read from the first few KB only. */
export function rootElement(text: string): string | undefined {
  const head = text.slice(0, 4096);
  return /^<([A-Za-z_][\w:.-]*)/.exec(head.slice(prologLength(head)))?.[1]?.toLowerCase();
}

function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096);
  return (
    /<!doctype\s+html/i.test(head.slice(0, prologLength(head))) || rootElement(text) === 'html'
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!.trim();
}

function notAFeed(url: string, what: string, cause?: unknown): FeedError {
  return new FeedError(`not a feed: ${what}`, url, { kind: 'permanent', cause });
}

/** Runs one parser; its failure is a value, so that the other parser can be tried. */
async function attempt(read: () => RawFeed | Promise<RawFeed>): Promise<RawFeed | Error> {
  try {
    return await read();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

async function parseJson(text: string, url: string): Promise<RawFeed> {
  const feed = await attempt(() => readWithFeedsmith(text));
  if (!(feed instanceof Error)) return feed;
  try {
    JSON.parse(text);
  } catch (error) {
    throw notAFeed(url, `invalid JSON (${firstLine(error)})`, error);
  }
  throw notAFeed(url, 'JSON document is not a JSON Feed', feed);
}

/**
 * `<r:rss xmlns:r="…">`: a feed whose own elements all carry a prefix. The parsers look for
 * unprefixed names, so the root's prefix is taken off every tag; other prefixes (dc:, media:)
 * stay, so an element of another vocabulary with the same local name is not mistaken for it.
 */
function withoutRootPrefix(text: string, root: string | undefined): string {
  const prefix = /^([\w.-]+):(?:rss|feed|channel)$/.exec(root ?? '')?.[1];
  if (!prefix) return text;
  const escaped = prefix.replace(/[.-]/g, '\\$&');
  return text.replace(new RegExp(`<(/?)${escaped}:`, 'gi'), '<$1');
}

export async function parseFeed(xml: string, url: string): Promise<RawFeed> {
  const root = rootElement(xml);
  const text = root === 'channel' ? channelAsRss(xml) : withoutRootPrefix(xml, root);
  const feed = await parseText(text, url);
  return { ...feed, entries: withXhtmlBodies(text, feed.entries) };
}

async function parseText(xml: string, url: string): Promise<RawFeed> {
  const text = xml.replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed === '') throw notAFeed(url, 'empty body');
  if (trimmed.startsWith('{')) return parseJson(trimmed, url);
  if (looksLikeHtml(text)) throw notAFeed(url, 'got an HTML page');

  const root = rootElement(text);
  const first = await attempt(() => readWithRssParser(text, root ?? ''));
  if (!(first instanceof Error) && first.entries.length > 0) return first;
  const second = await attempt(() => readWithFeedsmith(text));
  if (!(second instanceof Error) && (second.entries.length > 0 || first instanceof Error))
    return second;
  if (!(first instanceof Error)) return first;

  throw whyNotAFeed(text, root, first, url);
}

/** sax reports syntax errors as `message\nLine: …`; anything else came after a clean parse. */
function isSyntaxError(error: Error): boolean {
  return /\nLine: \d+/.test(error.message);
}

function whyNotAFeed(text: string, root: string | undefined, error: Error, url: string): FeedError {
  if (root === undefined) {
    const head = text.slice(0, 4096);
    if (head.slice(prologLength(head)).trim() === '')
      return notAFeed(url, 'no root element', error);
  } else if (!FEED_ROOTS.has(root)) {
    return notAFeed(url, `<${root}> document`, error);
  } else if ((root === 'rss' || root === 'rdf:rdf') && !/<(?:[\w.-]+:)?channel[\s>]/i.test(text)) {
    return notAFeed(url, `<${root}> document without a <channel>`, error);
  } else if (!isSyntaxError(error)) {
    return notAFeed(url, `unreadable <${root}> document`, error);
  }
  return notAFeed(url, `invalid XML (${firstLine(error)})`, error);
}
