import {
  foldedHeadline,
  oneLine,
  plainText,
  publishedDate,
  safeLink,
  type Briefing,
} from './briefing';
import { alsoReportedBy } from './story-briefing';

export interface ConsoleOptions {
  /** ANSI colours; the caller passes `process.stdout.isTTY`. @default false */
  color?: boolean;
  /** IANA zone for the readable time. @default the process's local zone */
  timeZone?: string;
  /** Column to wrap the summary at. @default 100 */
  width?: number;
}

type Paint = (text: string) => string;
const ansi =
  (open: number, close: number): Paint =>
  (text) =>
    `\x1b[${open}m${text}\x1b[${close}m`;
const PAINT = { title: ansi(1, 22), meta: ansi(2, 22), link: ansi(36, 39), matched: ansi(33, 39) };
const NO_PAINT: typeof PAINT = { title: String, meta: String, link: String, matched: String };

/** `chars` in pieces of at most `size` code points. */
function chunks(chars: string[], size: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < chars.length; at += size) out.push(chars.slice(at, at + size).join(''));
  return out;
}

/** Greedy word wrap by code points; a word longer than the width is broken where it must be. */
function wrapParagraph(paragraph: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of paragraph.split(/\s+/).filter(Boolean)) {
    for (const piece of chunks(Array.from(word), width)) {
      const size = Array.from(piece).length;
      if (used > 0 && used + 1 + size > width) {
        lines.push(line);
        line = '';
        used = 0;
      }
      line += (used > 0 ? ' ' : '') + piece;
      used += (used > 0 ? 1 : 0) + size;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** Paragraphs (separated by blank lines) wrapped to `width` columns, one blank line between them. */
export function wrapText(text: string, width: number): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => wrapParagraph(p, width))
    .filter(Boolean)
    .join('\n\n');
}

function whenText(date: Date, timeZone: string | undefined): string {
  const local = new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(date);
  return `${local} (${date.toISOString()})`;
}

/**
 * One briefing as a block of terminal lines: title, source · time, link, wrapped summary and
 * what matched. Feed text is stripped of control characters, so it cannot drive the terminal.
 */
export function renderConsoleBlock(b: Briefing, options: ConsoleOptions = {}): string {
  const paint = options.color ? PAINT : NO_PAINT;
  if (b.folded) return paint.matched(foldedLine(b));
  if (b.update) return renderConsoleUpdate(b, paint);
  const others = alsoReportedBy(b.story, b.item.key);
  const published = publishedDate(b.item);
  const meta = [oneLine(b.feedName), published ? whenText(published, options.timeZone) : ''].filter(
    Boolean,
  );
  const link = safeLink(b.item.link);
  const summary = wrapText(plainText(b.summary), Math.max(1, options.width ?? 100));
  const matched = b.topics
    .map((t) => [oneLine(t.name), oneLine(t.why)].filter(Boolean).join(' — '))
    .filter(Boolean)
    .join('; ');
  const lines = [
    paint.title(oneLine(b.item.title) || '(untitled)'),
    ...(meta.length ? [paint.meta(meta.join(' · '))] : []),
    ...(link ? [paint.link(link)] : []),
    ...(summary ? ['', summary, ''] : []),
    ...(matched ? [paint.matched(`Matched: ${matched}`)] : []),
    ...(others ? [paint.meta(`Also reported by: ${oneLine(others)}`)] : []),
  ];
  return lines.join('\n').trimEnd();
}

/** A flood told in one line, with the command that lists what it stands for. */
function foldedLine(b: Briefing): string {
  const feed = oneLine(b.item.feedId);
  return `${foldedHeadline(b, oneLine(b.feedName))}, over the posting limits — briefing query --feed ${feed} --since 1d`;
}

/** A later source of a story already briefed: the story's headline, then who else reports it. */
function renderConsoleUpdate(b: Briefing, paint: typeof PAINT): string {
  const headline = oneLine(b.story?.sources[0]?.title ?? '') || '(untitled)';
  const link = safeLink(b.item.link);
  return [
    paint.title(`Update: ${headline}`),
    paint.meta(`also reported by ${oneLine(b.feedName)}: ${oneLine(b.item.title) || '(untitled)'}`),
    ...(link ? [paint.link(link)] : []),
  ].join('\n');
}

/** One JSON line per briefing for scripts (`--json`); raw values, JSON does the escaping. */
export function renderConsoleJson(b: Briefing): string {
  const { key, guid, title, link, feedId, publishedAt, categories, image } = b.item;
  const record = {
    item: { key, guid, title, link, feedId, publishedAt, categories },
    ...(image ? { image } : {}),
    feedName: b.feedName,
    summary: b.summary,
    topics: b.topics,
    ...(b.folded && { folded: b.folded }),
    ...(b.story && {
      story: {
        id: b.story.id,
        sources: b.story.sources.map(({ feedId, link, title }) => ({ feedId, link, title })),
      },
    }),
    ...(b.update && { update: true }),
  };
  return jsonLine(record);
}

/** A record as one line of JSON, even for readers that end a line at U+2028/2029 (valid in JSON). */
export function jsonLine(record: unknown): string {
  return JSON.stringify(record)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
