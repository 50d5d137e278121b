import { ButtonStyle, ComponentType } from 'discord.js';
import type { APIActionRowComponent, APIStringSelectComponent } from 'discord-api-types/v10';
import { oneLine } from '../../delivery/briefing';
import { clip, DISCORD_LIMITS } from '../../delivery/discord-limits';
import { escapeMarkdown } from '../../delivery/escape-markdown';
import { relativeTime } from '../../delivery/render-discord';
import type { BriefingPage } from '../../services/briefings';
import { type ListedStory, sourcesCount } from '../../services/story-listing';
import { itemEmbeds } from './item-embeds';
import type { Reply } from './reply';

/** Custom ids of the paging buttons: `briefing:<pager id>:<page>`, far below Discord's 100. */
export const BRIEFING_BUTTON_PREFIX = 'briefing';

/**
 * The sources menu's custom id. Its options' values are story ids, so it needs no paging state:
 * it keeps working after the Prev/Next buttons expire, and after a restart.
 */
export const SOURCES_MENU_ID = 'briefing:sources';

export function pageButtonId(pagerId: string, page: number): string {
  return `${BRIEFING_BUTTON_PREFIX}:${pagerId}:${page}`;
}

/** `{ pagerId, page }` from a button's custom id, or undefined when it is not one of ours. */
export function parsePageButton(customId: string): { pagerId: string; page: number } | undefined {
  const m = /^briefing:([\w-]{1,32}):(\d{1,4})$/.exec(customId);
  return m ? { pagerId: m[1]!, page: Number(m[2]) } : undefined;
}

/** "3 items", "at least 12 stories". */
const counted = (n: number, one: string, many: string, atLeast = false) =>
  `${atLeast ? 'at least ' : ''}${n} ${n === 1 ? one : many}`;

function header(p: BriefingPage): string {
  const topics = p.topics.map((t) => `**${escapeMarkdown(oneLine(t.def.name))}**`).join(', ');
  const words = p.text ? ` containing “${escapeMarkdown(oneLine(p.text))}”` : '';
  const items = counted(p.total, 'item', 'items', p.partial);
  if (p.total === 0)
    return clip(`No items for ${topics}${words} since ${relativeTime(p.since)}.`, 1500);
  const count = p.storyCount
    ? `${counted(p.storyCount.count, 'story', 'stories', p.storyCount.atLeast)} (${items})`
    : items;
  const pageNote = p.page > 0 || p.hasNext ? ` · page ${p.page + 1}` : '';
  return clip(`${topics}${words}: ${count} since ${relativeTime(p.since)}${pageNote}`, 1500);
}

/**
 * The menu that opens a story's sources: one option per story of the page that more than one
 * source carries (a story of one is its own embed, already linked; and an item archived before
 * stories were decided has no story record to open).
 */
function sourcesMenu(stories: ListedStory[]): APIActionRowComponent<APIStringSelectComponent> {
  const text = (t: string) => clip(oneLine(t), DISCORD_LIMITS.selectOptionText);
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: SOURCES_MENU_ID,
        placeholder: 'Show the sources of a story',
        options: stories.slice(0, DISCORD_LIMITS.selectOptions).map((s) => ({
          label: text(s.briefing.item.title) || '(untitled)',
          value: s.id,
          description: text(`${sourcesCount(s)} · ${s.briefing.feedName}`),
        })),
      },
    ],
  };
}

/**
 * One page of /briefing: a header, an embed per story (or item), the sources menu, and Prev/Next
 * when there is more than a page.
 */
export function renderBriefingPage(p: BriefingPage): Reply {
  const reply: Reply = {
    content: header(p),
    embeds: itemEmbeds(
      p.briefings,
      (p.stories ?? []).map((s) => sourcesCount(s)),
    ),
    components: [],
    allowedMentions: { parse: [] },
  };
  if (p.page > 0 || p.hasNext) {
    reply.components?.push({
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
    });
  }
  // Below the paging buttons, so they stay where they were on pages without stories.
  const several = (p.stories ?? []).filter((s) => s.sourceCount > 1 || s.atLeast);
  if (several.length > 0) reply.components?.push(sourcesMenu(several));
  return reply;
}
