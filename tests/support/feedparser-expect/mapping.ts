/**
 * feedparser's entry fields, as its test files name them, mapped onto the bot's Item.
 *
 * | feedparser                                   | the bot's Item               | compared as |
 * | -------------------------------------------- | ---------------------------- | ----------- |
 * | title, title_detail.value                    | title                        | text        |
 * | summary, description, summary_detail.value   | description, else text (1)   | text        |
 * | content[0].value                             | text                         | text        |
 * | link                                         | link                         | URL         |
 * | id, guid                                     | guid                         | exact       |
 * | author, author_detail.name, authors[0].name  | author (2)                   | text        |
 * | tags[i].term, category                       | categories[i], categories[0] | text        |
 * | published_parsed, updated_parsed             | publishedAt (3)              | 9-tuple     |
 * | image.href                                   | image                        | URL         |
 *
 * "text": the bot keeps plain text, feedparser keeps (sanitised) HTML, so an expected value
 * passes when it reads as the same text after the bot's own HTML → text step, or is that text
 * already (feedparser's `type="text"` values are plain); whitespace runs count as one space.
 * (1) feedparser copies an entry's HTML or text content into `summary` when it has no summary;
 * the bot's `text` falls back the other way, so an empty `description` is read through `text`.
 * (2) the bot keeps one author, by name: `jo@example.com (Jo)` is kept as `Jo`, so an expected
 * `author` is compared by its name part too.
 * (3) the bot keeps one date, the published one, else the updated one.
 *
 * Out of scope, and why (a conjunct that asks for any of these is not judged):
 * - `bozo`, `encoding`, `version`: the bot is a forgiving reader and keeps no verdict on the
 *   document's well-formedness, charset or format version;
 * - `feed[…]` and other feed-level names: the bot keeps entries, not channel metadata;
 * - `*_detail` type/base/language, `content[0]` type/base/language/src: the bot keeps plain
 *   text, so markup type, xml:base and per-field language are not kept;
 * - `links`, `enclosures`, `source`, `contributors`, `publisher*`, `rights*`, `license`,
 *   `comments`, `wfw_*`, `thr_*`, `media_*` (but see image), `itunes_*`, `psc_*`, `where`,
 *   `guidislink`: not kept on an Item;
 * - author email/URL, `authors[1…]`, tag `scheme`/`label`: the bot keeps one author's name and
 *   category names only;
 * - `published`/`updated`/`created` as strings, `created_parsed`, `expired_parsed`: the bot
 *   keeps one parsed date, not the text as found, and no creation or expiry date.
 */
import { htmlToText } from '../../../src/text/html-to-text';
import type { Item } from '../../../src/domain/item';
import { type Compared, type Lookup, Missing, OutOfScope, type Value } from './evaluate';

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The bot's plain text against an expected HTML or text value. */
class Text implements Compared {
  constructor(readonly value: string) {}
  equals(other: unknown): boolean {
    if (other instanceof Text) return collapse(other.value) === collapse(this.value);
    if (typeof other !== 'string') return false;
    const mine = collapse(this.value);
    return mine === collapse(htmlToText(other)) || mine === collapse(other);
  }
}

/** `jo@example.com (Jo Smith)` or `Jo Smith (jo@example.com)`: the name part. */
function nameOf(author: string): string {
  const m =
    /^\S+@\S+\s+\((.+)\)$/.exec(author.trim()) ?? /^(.+?)\s+\(\S+@\S+\)$/.exec(author.trim());
  return m?.[1] ?? author;
}

class Author extends Text {
  override equals(other: unknown): boolean {
    return super.equals(typeof other === 'string' ? nameOf(other) : other);
  }
}

/** An absolute URL; equal to another spelling of the same URL (`http://a.b` = `http://a.b/`). */
class Url implements Compared {
  constructor(readonly value: string) {}
  equals(other: unknown): boolean {
    if (typeof other !== 'string') return false;
    try {
      return new URL(other).href === new URL(this.value).href;
    } catch {
      return other === this.value;
    }
  }
}

/** feedparser's time.struct_time for a UTC instant: (y, m, d, H, M, S, weekday, yearday, 0). */
function structTime(iso: string): number[] {
  const d = new Date(iso);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return [
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    (d.getUTCDay() + 6) % 7,
    Math.floor((d.getTime() - yearStart) / 86_400_000) + 1,
    0,
  ];
}

/** The bot field a feedparser key is judged on, for the per-field rates. */
export const FIELD_OF: Record<string, string> = {
  title: 'title',
  title_detail: 'title',
  summary: 'description',
  description: 'description',
  summary_detail: 'description',
  content: 'content',
  link: 'link',
  id: 'guid',
  guid: 'guid',
  author: 'author',
  author_detail: 'author',
  authors: 'author',
  tags: 'categories',
  category: 'categories',
  published_parsed: 'date',
  updated_parsed: 'date',
  image: 'image',
};

/** A dict whose keys are `known`; any other key is out of scope, a known key absent is Missing. */
function lookup(
  where: string,
  known: Record<string, Value | undefined>,
  touched?: (key: string) => void,
): Lookup {
  return {
    has: (key) => known[key] !== undefined,
    get: (key) => {
      if (typeof key !== 'string' || !(key in known))
        throw new OutOfScope(`${where}${String(key)}`);
      touched?.(key);
      const v = known[key];
      if (v === undefined) throw new Missing(`${where}${key} is absent`);
      return v;
    },
  };
}

/** A list of which the bot keeps only the first element. */
function firstOnly(where: string, values: Value[]): Lookup {
  return {
    has: () => false,
    get: (i) => {
      if (typeof i !== 'number') throw new Missing(`${where} has no key ${i}`);
      if (i !== 0 && i !== -1) throw new OutOfScope(`${where}[${i}]`);
      if (values.length === 0) throw new Missing(`${where} is empty`);
      return values[0];
    },
  };
}

const ifText = (s: string | undefined) => (s ? new Text(s) : undefined);

/** The bot's item seen through feedparser's names; `touched` hears each entry key looked up. */
export function entryView(item: Item, touched: (key: string) => void): Lookup {
  // An Item's title, description and text are always strings ('' when the feed had none).
  const summary = new Text(item.description || item.text);
  const title = new Text(item.title);
  const author = item.author ? new Author(item.author) : undefined;
  const date = structTime(item.publishedAt);
  const detail = (value: Value) => lookup('…_detail.', { value });
  return lookup(
    'entry.',
    {
      title,
      title_detail: detail(title),
      summary,
      description: summary,
      summary_detail: detail(summary),
      content: firstOnly('content', [lookup('content[0].', { value: new Text(item.text) })]),
      link: item.link ? new Url(item.link) : undefined,
      id: item.guid,
      guid: item.guid,
      author,
      author_detail: author && lookup('author_detail.', { name: author }),
      authors: author ? firstOnly('authors', [lookup('authors[0].', { name: author })]) : undefined,
      tags:
        item.categories.length > 0
          ? item.categories.map((c) => lookup('tags[].', { term: new Text(c) }))
          : undefined,
      category: ifText(item.categories[0]),
      published_parsed: date,
      updated_parsed: date,
      image: item.image ? lookup('image.', { href: new Url(item.image) }) : undefined,
    },
    touched,
  );
}
