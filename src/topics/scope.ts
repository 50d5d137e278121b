/**
 * Scopes: what an item is rather than what it says (`feed:`, `site:`, `author:`, `category:`,
 * `lang:`; see query-parser.ts). A scope is compiled once into a test, and the item's side is
 * read once per match call, lazily, so items of topics without scopes pay nothing — and only an
 * item a `lang:` topic is considered for, and that declares no language, has its language detected.
 */
import { baseLanguage, detectLanguage } from '../text/lang';
import type { Scope } from './ast';
import { tokenize } from './tokenize';
import type { MatchDoc } from '../domain/match';

/** The item's side of every scope, each computed on first use. */
export class ItemFacts {
  private hostMemo: string | null | undefined;
  private langMemo: string | null | undefined;
  constructor(readonly doc: MatchDoc) {}

  get host(): string | null {
    if (this.hostMemo === undefined) this.hostMemo = hostOf(this.doc.link);
    return this.hostMemo;
  }

  get lang(): string | null {
    if (this.langMemo === undefined) {
      const { lang, title, description, text } = this.doc;
      this.langMemo = lang?.trim()
        ? baseLanguage(lang)
        : (detectLanguage(`${title}\n\n${description}\n\n${text}`) ?? null);
    }
    return this.langMemo;
  }
}

/** A link's host in lower case, without `www.`; null for no link or not a URL. */
function hostOf(link: string | undefined): string | null {
  if (!link) return null;
  try {
    return withoutWww(new URL(link).hostname.toLowerCase());
  } catch {
    return null;
  }
}

const withoutWww = (host: string) => host.replace(/^www\./, '').replace(/\.$/, '');
const words = (text: string) =>
  ` ${tokenize(text)
    .map((t) => t.norm)
    .join(' ')} `;

/** The test a scope compiles to. */
export function scopeTest(scope: Scope, value: string): (facts: ItemFacts) => boolean {
  switch (scope) {
    case 'feed': {
      const id = value.toLowerCase();
      return (f) => f.doc.feedId?.toLowerCase() === id;
    }
    case 'site': {
      // `site:un.org` is un.org and every host under it (news.un.org), as search engines read it.
      const site = withoutWww(
        value
          .toLowerCase()
          .replace(/^[a-z]+:\/\//, '')
          .split('/')[0] ?? '',
      );
      return (f) => f.host !== null && (f.host === site || f.host.endsWith(`.${site}`));
    }
    case 'author': {
      const wanted = words(value);
      return (f) => f.doc.author !== undefined && words(f.doc.author).includes(wanted);
    }
    case 'category': {
      const wanted = words(value);
      return (f) => (f.doc.categories ?? []).some((c) => words(c).includes(wanted));
    }
    case 'lang': {
      const lang = baseLanguage(value);
      return (f) => f.lang === lang;
    }
  }
}
