import { oneLine, safeLink, type Briefing } from './briefing';
import { clip, DISCORD_LIMITS } from './discord-limits';
import { escapeMarkdown } from './escape-markdown';

/**
 * A server's own text for the card layout's embed description, e.g.
 * `**{source}** · {published}\n{summary}\n{why}`. Placeholders are `{name}` from the list
 * below; `{{` and `}}` are literal braces. Everything a placeholder brings in is feed text,
 * escaped like the rest of the card; the template's own text is the admin's and kept as written.
 */
export const PLACEHOLDERS = [
  'title',
  'summary',
  'source',
  'link',
  'published',
  'topics',
  'why',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/**
 * The most each placeholder can add. `summary` is not here: it takes whatever room the rest
 * leaves (clipped), so it never makes a card too long.
 */
const MAX_FILL: Record<Exclude<Placeholder, 'summary'>, number> = {
  title: DISCORD_LIMITS.title,
  source: DISCORD_LIMITS.authorName,
  link: DISCORD_LIMITS.url,
  published: 20, // `<t:…:R>`
  topics: 256,
  why: DISCORD_LIMITS.fieldValue,
};
/** Room a template must leave for a summary to say anything. */
const MIN_SUMMARY_ROOM = 200;
const TOKEN = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;

type Part = { text: string } | { placeholder: Placeholder };

/** The template as literal text and placeholders, or the problems that stop it being one. */
function parseTemplate(template: string): { parts: Part[]; problems: string[] } {
  const parts: Part[] = [];
  const problems: string[] = [];
  let at = 0;
  for (const m of template.matchAll(TOKEN)) {
    if (m.index > at) parts.push({ text: template.slice(at, m.index) });
    at = m.index + m[0].length;
    if (m[0] === '{{' || m[0] === '}}') parts.push({ text: m[0][0]! });
    else if (m[1] === undefined)
      problems.push(`a lone "${m[0]}" at character ${m.index + 1} (write {{ or }} for a brace)`);
    else if ((PLACEHOLDERS as readonly string[]).includes(m[1]))
      parts.push({ placeholder: m[1] as Placeholder });
    else problems.push(`{${m[1]}} is not a placeholder`);
  }
  if (at < template.length) parts.push({ text: template.slice(at) });
  return { parts, problems };
}

/**
 * Why a template cannot be used, in words an admin can act on; empty when it is fine. Run when
 * the template is set, so a briefing never fails because of it later.
 */
export function cardTemplateProblems(template: string): string[] {
  if (template.trim() === '') return ['the template is empty'];
  const { parts, problems } = parseTemplate(template);
  if (problems.some((p) => p.includes('is not a placeholder')))
    problems.push(`placeholders are ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`);
  const longest = parts.reduce(
    (n, p) =>
      n + ('text' in p ? p.text.length : p.placeholder === 'summary' ? 0 : MAX_FILL[p.placeholder]),
    0,
  );
  const room = DISCORD_LIMITS.description - MIN_SUMMARY_ROOM;
  if (longest > room)
    problems.push(
      `filled in, the template can reach ${longest} characters; a card's text has room for ${DISCORD_LIMITS.description}, and ${MIN_SUMMARY_ROOM} of it is kept for the summary`,
    );
  return problems;
}

/**
 * The card's text from a template that passed `cardTemplateProblems`, at most `max` characters.
 * `why` and `published` come rendered the way the card shows them elsewhere.
 */
export function fillCardTemplate(
  template: string,
  b: Briefing,
  rendered: { why: string; published: string },
  max: number = DISCORD_LIMITS.description,
): string {
  const values: Record<Exclude<Placeholder, 'summary'>, string> = {
    title: escapeMarkdown(oneLine(b.item.title)),
    source: escapeMarkdown(oneLine(b.feedName)),
    link: safeLink(b.item.link) ?? '',
    topics: escapeMarkdown(b.topics.map((t) => oneLine(t.name)).join(' · ')),
    ...rendered,
  };
  const { parts } = parseTemplate(template);
  const fixed = (p: Part) =>
    'text' in p
      ? p.text
      : p.placeholder === 'summary'
        ? ''
        : clip(values[p.placeholder], MAX_FILL[p.placeholder]);
  const summaries = parts.filter((p) => 'placeholder' in p && p.placeholder === 'summary').length;
  const rest = parts.reduce((n, p) => n + fixed(p).length, 0);
  const summary = clip(
    escapeMarkdown(b.summary).trim(),
    summaries ? Math.max(0, Math.floor((max - rest) / summaries)) : 0,
  );
  const text = parts
    .map((p) => ('placeholder' in p && p.placeholder === 'summary' ? summary : fixed(p)))
    .join('');
  return clip(text, max);
}
