/**
 * Feed documents as publishers serve them: RSS 2.0 with the full story in content:encoded (most
 * news sites), RSS with HTML in the description only, and Atom. A document is a pure function of
 * (seed, feed, version), so the feed farm and the pipeline bench can rebuild the same bytes.
 */
import { article, type Article, type Lang } from './news-text';
import { seeded, seedOf } from './random';

export type FeedFormat = 'rss-content' | 'rss-description' | 'atom';

export interface FeedDocOptions {
  seed: number;
  /** Names the feed in links and guids, so two feeds never share an item. */
  feedId: string;
  /** A new version holds entirely new items (what a feed looks like after a busy interval). */
  version: number;
  items: number;
  /** The newest item's publication time; older ones are a few minutes apart. */
  newestMs: number;
  format: FeedFormat;
}

/** 60 % of feeds are in English, 40 % in Russian; a feed keeps its language. */
export function langOf(seed: number, feedId: string): Lang {
  return seeded(seedOf(seed, 'lang', feedId)).chance(0.6) ? 'en' : 'ru';
}

/** 80 % full-content RSS, 10 % description-only RSS, 10 % Atom, by feed index. */
export function formatOf(index: number): FeedFormat {
  const slot = index % 10;
  return slot === 8 ? 'rss-description' : slot === 9 ? 'atom' : 'rss-content';
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** CDATA cannot hold `]]>`; the generated HTML never does, but stay correct anyway. */
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

interface Entry {
  a: Article;
  link: string;
  published: Date;
}

/** Newest first, a few minutes apart. */
function entries(o: FeedDocOptions, lang: Lang): Entry[] {
  let at = o.newestMs;
  return Array.from({ length: o.items }, (_, i) => {
    const r = seeded(seedOf(o.seed, o.feedId, o.version, i));
    if (i > 0) at -= r.int(2, 20) * 60_000;
    return {
      a: article(r, lang),
      link: `https://news.example/${o.feedId}/${o.version}-${i}.html`,
      published: new Date(at),
    };
  });
}

function rssItem(e: Entry, format: FeedFormat): string {
  const { a } = e;
  const parts = [
    `<title>${xml(a.title)}</title>`,
    `<link>${e.link}</link>`,
    `<guid isPermaLink="true">${e.link}</guid>`,
    `<pubDate>${e.published.toUTCString()}</pubDate>`,
    ...a.categories.map((c) => `<category>${xml(c)}</category>`),
    ...(a.author ? [`<dc:creator>${xml(a.author)}</dc:creator>`] : []),
  ];
  if (format === 'rss-content') {
    parts.push(
      `<description>${xml(a.lead)}</description>`,
      `<content:encoded>${cdata(a.html)}</content:encoded>`,
    );
  } else {
    parts.push(`<description>${xml(a.html)}</description>`);
  }
  return `<item>${parts.join('')}</item>`;
}

function atomEntry(e: Entry): string {
  const { a } = e;
  return [
    '<entry>',
    `<title>${xml(a.title)}</title>`,
    `<link rel="alternate" type="text/html" href="${e.link}"/>`,
    `<id>${e.link}</id>`,
    `<published>${e.published.toISOString()}</published>`,
    `<updated>${e.published.toISOString()}</updated>`,
    ...(a.author ? [`<author><name>${xml(a.author)}</name></author>`] : []),
    ...a.categories.map((c) => `<category term="${xml(c)}"/>`),
    `<summary type="html">${xml(a.lead)}</summary>`,
    `<content type="html">${xml(a.html)}</content>`,
    '</entry>',
  ].join('');
}

export function feedDocument(o: FeedDocOptions): string {
  const lang = langOf(o.seed, o.feedId);
  const list = entries(o, lang);
  const title = `Bench news ${o.feedId}`;
  const site = `https://news.example/${o.feedId}/`;
  const updated = new Date(o.newestMs);
  if (o.format === 'atom') {
    return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}"><title>${xml(title)}</title><link rel="alternate" href="${site}"/><id>${site}</id><updated>${updated.toISOString()}</updated>
${list.map(atomEntry).join('\n')}
</feed>`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>${xml(title)}</title><link>${site}</link><description>Generated for benchmarks</description><language>${lang}</language><lastBuildDate>${updated.toUTCString()}</lastBuildDate>
${list.map((e) => rssItem(e, o.format)).join('\n')}
</channel></rss>`;
}
