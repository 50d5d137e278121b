/**
 * The labelled stories of tests/fixtures/stories (see its README) as reports and as pairs: two
 * reports of one event are the same story, two reports of two events are not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoryInput } from '../../../src/stories/features';

export interface Report extends StoryInput {
  event: string;
}

export interface StoryEvent {
  id: string;
  split: 'tune' | 'held';
  lang: 'en' | 'ru';
  /** The event this one was written to resemble, and how. */
  near?: { id: string; kind: string };
  reports: Report[];
}

export interface LabelledPair {
  a: Report;
  b: Report;
  same: boolean;
  /** The hard-negative kind, for pairs of an event and the one it was written to resemble. */
  kind?: string;
  split: 'tune' | 'held';
}

const DIR = join(import.meta.dirname, '../../fixtures/stories');

function parse(file: string, lang: 'en' | 'ru'): StoryEvent[] {
  const events: StoryEvent[] = [];
  let lines: string[] = [];
  const flushReport = () => {
    const event = events.at(-1);
    if (!event || lines.length === 0) return;
    const [head, title, ...lead] = lines;
    const [, publishedAt, link] = /^@ (\S+) (\S+)$/.exec(head ?? '') ?? [];
    if (!publishedAt || !link || !title || lead.length === 0)
      throw new Error(`${file}: malformed report in ${event.id}: ${head}`);
    event.reports.push({
      event: event.id,
      publishedAt,
      link,
      title,
      description: lead.join(' '),
      text: '',
    });
    lines = [];
  };
  for (const line of readFileSync(join(DIR, file), 'utf8').split('\n')) {
    if (line.startsWith('# ')) {
      flushReport();
      const [id, ...attrs] = line.slice(2).split(/\s+/);
      const attr = Object.fromEntries(attrs.map((a) => a.split('=') as [string, string]));
      if (!id || (attr.split !== 'tune' && attr.split !== 'held'))
        throw new Error(`${file}: malformed event line: ${line}`);
      events.push({
        id,
        split: attr.split,
        lang,
        ...(attr.near && { near: { id: attr.near, kind: attr.kind ?? '?' } }),
        reports: [],
      });
    } else if (line.startsWith('@ ')) {
      flushReport();
      lines.push(line);
    } else if (line.trim() !== '' && lines.length > 0) lines.push(line.trim());
  }
  flushReport();
  return events;
}

export function labelledEvents(): StoryEvent[] {
  return [...parse('stories-en.txt', 'en'), ...parse('stories-ru.txt', 'ru')];
}

/**
 * Every pair of reports of one language: same within an event, different across events. A pair of
 * two events belongs to the held-out part when either event does.
 */
export function labelledPairs(events = labelledEvents()): LabelledPair[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const pairs: LabelledPair[] = [];
  events.forEach((e, i) => {
    for (let x = 0; x < e.reports.length; x++)
      for (let y = x + 1; y < e.reports.length; y++)
        pairs.push({ a: e.reports[x]!, b: e.reports[y]!, same: true, split: e.split });
    for (const f of events.slice(i + 1)) {
      if (f.lang !== e.lang) continue;
      const near =
        e.near?.id === f.id ? e.near.kind : f.near?.id === e.id ? f.near.kind : undefined;
      const split = e.split === 'held' || f.split === 'held' ? 'held' : 'tune';
      for (const a of e.reports)
        for (const b of f.reports)
          pairs.push({ a, b, same: false, split, ...(near && { kind: near }) });
    }
  });
  for (const e of events)
    if (e.near && !byId.has(e.near.id)) throw new Error(`${e.id} is near an unknown event`);
  return pairs;
}
