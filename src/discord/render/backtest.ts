import type { APIEmbed } from 'discord-api-types/v10';
import { oneLine, safeLink } from '../../delivery/briefing';
import { clip } from '../../delivery/discord-limits';
import { escapeMarkdown, markdownLink } from '../../delivery/escape-markdown';
import type { BacktestHit, BacktestResult } from '../../query/backtest';
import { listText, type Reply } from './reply';

function hitLine(h: BacktestHit): string {
  const title = clip(escapeMarkdown(oneLine(h.archived.item.title)) || '(untitled)', 150);
  const link = safeLink(h.archived.item.link);
  const shown = link && link.length <= 400 ? markdownLink(title, link) : title;
  if (h.clauses) {
    // Not matched: which clauses failed, and why, so the admin knows which one to change.
    return `• ${shown} — not matched · ${clip(escapeMarkdown(oneLine(h.why)), 300)}`;
  }
  const note = h.missed ? ' · below min score' : '';
  return `• ${shown} — score ${h.score.toFixed(2)}${note} · ${clip(escapeMarkdown(oneLine(h.why)), 150)}`;
}

/** /topic test: how many items the topic would have posted, its best hits and where it cuts. */
export function renderBacktest(r: BacktestResult): Reply {
  const embeds: APIEmbed[] = [
    {
      title: clip(`Test: ${oneLine(r.topic.name)}`, 256),
      description: `Read ${r.scanned} items; **${r.matched}** would have been posted (min score ${r.topic.minScore}).`,
    },
  ];
  if (r.best.length)
    embeds.push({ title: 'Best matches', description: listText(r.best.map(hitLine), 2400) });
  if (r.borderline.length)
    embeds.push({ title: 'Borderline', description: listText(r.borderline.map(hitLine), 2400) });
  return { embeds, components: [], allowedMentions: { parse: [] } };
}
