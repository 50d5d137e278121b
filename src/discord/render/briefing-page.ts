import { ButtonStyle, ComponentType } from 'discord.js';
import { oneLine } from '../../delivery/briefing';
import { clip } from '../../delivery/discord-limits';
import { escapeMarkdown } from '../../delivery/escape-markdown';
import { relativeTime } from '../../delivery/render-discord';
import type { BriefingPage } from '../../services/briefings';
import { itemEmbeds } from './item-embeds';
import type { Reply } from './reply';

/** Custom ids of the paging buttons: `briefing:<pager id>:<page>`, far below Discord's 100. */
export const BRIEFING_BUTTON_PREFIX = 'briefing';

export function pageButtonId(pagerId: string, page: number): string {
  return `${BRIEFING_BUTTON_PREFIX}:${pagerId}:${page}`;
}

/** `{ pagerId, page }` from a button's custom id, or undefined when it is not one of ours. */
export function parsePageButton(customId: string): { pagerId: string; page: number } | undefined {
  const m = /^briefing:([\w-]{1,32}):(\d{1,4})$/.exec(customId);
  return m ? { pagerId: m[1]!, page: Number(m[2]) } : undefined;
}

function header(p: BriefingPage): string {
  const topics = p.topics.map((t) => `**${escapeMarkdown(oneLine(t.def.name))}**`).join(', ');
  const words = p.text ? ` containing “${escapeMarkdown(oneLine(p.text))}”` : '';
  const count = p.total === 1 ? '1 item' : `${p.total} items`;
  if (p.total === 0)
    return clip(`No items for ${topics}${words} since ${relativeTime(p.since)}.`, 1500);
  const pageNote = p.page > 0 || p.hasNext ? ` · page ${p.page + 1}` : '';
  return clip(`${topics}${words}: ${count} since ${relativeTime(p.since)}${pageNote}`, 1500);
}

/** One page of /briefing: a header, an embed per item, and Prev/Next when there is more than a page. */
export function renderBriefingPage(p: BriefingPage): Reply {
  const reply: Reply = {
    content: header(p),
    embeds: itemEmbeds(p.briefings),
    components: [],
    allowedMentions: { parse: [] },
  };
  if (p.page > 0 || p.hasNext) {
    reply.components = [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'Prev',
            custom_id: pageButtonId(p.pagerId, Math.max(0, p.page - 1)),
            disabled: p.page === 0,
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'Next',
            custom_id: pageButtonId(p.pagerId, p.page + 1),
            disabled: !p.hasNext,
          },
        ],
      },
    ];
  }
  return reply;
}
