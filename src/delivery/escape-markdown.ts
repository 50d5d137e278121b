import { plainText } from './briefing';

/**
 * Feed text shown in Discord must read as the text it is: no formatting, no masked links, no
 * mentions. Rules, applied to text already passed through `plainText`:
 * - `\ * _ ~ ` | [ ]` are escaped everywhere. With `[` and `]` escaped no masked link can open or
 *   close, so `(` and `)` can never format and are left alone (the text stays readable); `||`
 *   spoilers die with `|`.
 * - `# - + >` and `1.` are escaped only at the start of a line, the only place where they make
 *   headings, subtext (`-#`), lists and block quotes.
 * - `@everyone`/`@here` get a zero-width space after the `@`, and so does `<` wherever it would
 *   open a user, role, channel, command or emoji mention or a `<t:…>` timestamp.
 * Discord treats a backslash before any punctuation as an escape, so all of this renders as typed.
 */
const ZWSP = '\u200b';
const ALWAYS = /[\\*_~`|[\]]/g;
const LINE_START = /^([^\S\n]*)([#>+-])/gm;
const ORDERED_LIST = /^([^\S\n]*\d+)\.(?=\s|$)/gm;
const MASS_MENTION = /@(?=everyone|here)/gi;
const MENTION_OPEN = /<(?=[@#:/]|a:|t:|id:)/gi;

/** Only the mention rule: for places Discord shows as plain text (embed footer, author name). */
export function neutraliseMentions(text: string): string {
  return text.replace(MASS_MENTION, `@${ZWSP}`).replace(MENTION_OPEN, `<${ZWSP}`);
}

/** Untrusted text made literal for places Discord renders as markdown. */
export function escapeMarkdown(text: string): string {
  const escaped = plainText(text)
    .replace(ALWAYS, '\\$&')
    .replace(LINE_START, '$1\\$2')
    .replace(ORDERED_LIST, '$1\\.');
  return neutraliseMentions(escaped);
}

/**
 * Characters that could end or confuse a markdown link target, or spell a mention in the
 * visible text of one; percent-encoding them leaves the URL meaning the same resource. A vetted
 * href is ASCII (the URL parser encoded the rest), so two hex digits always suffice.
 */
const LINK_TARGET_UNSAFE = /[ ()<>[\]\\`|@"]/g;
const percentEncode = (c: string) =>
  `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** A vetted href that cannot end a link target or `<…>` early, nor spell a mention. */
export const linkTarget = (href: string) => href.replace(LINK_TARGET_UNSAFE, percentEncode);

/**
 * `[label](href)`, for a label already escaped with `escapeMarkdown` and an href already
 * vetted by `safeLink`.
 */
export function markdownLink(label: string, href: string): string {
  return `[${label}](${linkTarget(href)})`;
}
