import type { APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { MAX_LINK_LENGTH } from './briefing';

/**
 * Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
 * Lengths are counted in UTF-16 code units, which is never fewer than Discord's count of characters,
 * so a message within these numbers is within Discord's.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  /** Across every embed of one message: titles, descriptions, field names and values, footers, author names. */
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  url: MAX_LINK_LENGTH,
  /** A component's custom id. */
  customId: 100,
  /** Options of one select menu; each option's label, value and description. */
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
} as const;

export const ELLIPSIS = '…';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * `text` cut to at most `max` UTF-16 units, ending in "…" when cut. The cut falls on a word
 * boundary when one lies in the second half of the room (a boundary earlier than that would
 * throw away more than it keeps), and never between the halves of a surrogate pair.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return '';
  let end = max - ELLIPSIS.length;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  const boundary = /\s/.test(text.charAt(end)) ? end : text.slice(0, end).search(/\s\S*$/);
  const cut = boundary >= end / 2 ? boundary : end;
  return text.slice(0, cut).trimEnd() + ELLIPSIS;
}

/** Discord trims values and refuses the empty ones; so do we when judging. */
export const isBlank = (text: string) => text.trim() === '';

/** The characters of one embed that count towards the per-message total. */
export function embedLength(embed: APIEmbed): number {
  const fields = embed.fields ?? [];
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    fields.reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * Every way `msg` would be refused by Discord or would let feed text ping people; empty when it
 * is fit to send. Renderers are within limits by construction; the sink checks this as a last guard.
 */
export function messageProblems(msg: RESTPostAPIChannelMessageJSONBody): string[] {
  const problems: string[] = [];
  const check = (what: string, text: string | undefined, max: number, required = false) => {
    if (text === undefined) return;
    if (text.length > max) problems.push(`${what} is ${text.length} characters (max ${max})`);
    if (required && isBlank(text)) problems.push(`${what} is empty`);
  };
  const embeds = msg.embeds ?? [];
  check('content', msg.content, DISCORD_LIMITS.content);
  if (embeds.length === 0 && isBlank(msg.content ?? ''))
    problems.push('message has neither content nor embeds');
  if (embeds.length > DISCORD_LIMITS.embeds) {
    problems.push(`message has ${embeds.length} embeds (max ${DISCORD_LIMITS.embeds})`);
  }
  embeds.forEach((e, i) => {
    const at = `embeds[${i}]`;
    check(`${at}.title`, e.title, DISCORD_LIMITS.title);
    check(`${at}.description`, e.description, DISCORD_LIMITS.description);
    check(`${at}.footer.text`, e.footer?.text, DISCORD_LIMITS.footerText, true);
    check(`${at}.author.name`, e.author?.name, DISCORD_LIMITS.authorName, true);
    const fields = e.fields ?? [];
    if (fields.length > DISCORD_LIMITS.fields) {
      problems.push(`${at} has ${fields.length} fields (max ${DISCORD_LIMITS.fields})`);
    }
    fields.forEach((f, j) => {
      check(`${at}.fields[${j}].name`, f.name, DISCORD_LIMITS.fieldName, true);
      check(`${at}.fields[${j}].value`, f.value, DISCORD_LIMITS.fieldValue, true);
    });
    if (embedLength(e) === 0) problems.push(`${at} shows nothing`);
    if (e.url !== undefined && !/^https?:\/\//.test(e.url))
      problems.push(`${at}.url is not http(s)`);
    check(`${at}.url`, e.url, DISCORD_LIMITS.url);
    if (e.timestamp !== undefined && !Number.isFinite(Date.parse(e.timestamp))) {
      problems.push(`${at}.timestamp is not a date`);
    }
  });
  const total = embeds.reduce((n, e) => n + embedLength(e), 0);
  if (total > DISCORD_LIMITS.embedTotal) {
    problems.push(`embeds total ${total} characters (max ${DISCORD_LIMITS.embedTotal})`);
  }
  // Feed text must never ping: mentions are allowed only by explicit id, never parsed from text.
  if (msg.allowed_mentions?.parse?.length !== 0) problems.push('allowed_mentions.parse must be []');
  return problems;
}
