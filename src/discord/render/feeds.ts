import { oneLine } from '../../delivery/briefing';
import { escapeMarkdown } from '../../delivery/escape-markdown';
import { relativeTime } from '../../delivery/render-discord';
import type { GuildFeed } from '../../store/guild-catalog';
import type { Subscription } from '../../store/subscriptions';
import type { FeedStatus, OpmlImport } from '../../services/feeds';
import { listText, textReply, type Reply } from './reply';
import { code, subscriptionLine } from './topics';

const name = (text: string) => escapeMarkdown(oneLine(text));
const when = (iso: string | undefined) => (iso ? relativeTime(new Date(iso)) : 'never');

export function renderFeedAdded(feed: GuildFeed): Reply {
  return textReply(
    `Added feed ${code(feed.id, 64)} **${name(feed.name)}** (<${feed.url}>). Its current items are archived on the first poll ` +
      '(within 15 minutes) and its new items are matched against every topic; they are posted only in this server.',
  );
}

export function renderFeedList(list: {
  guild: GuildFeed[];
  operator: Array<{ id: string; name: string }>;
}): Reply {
  const own = list.guild.map((f) => `${code(f.id, 64)} **${name(f.name)}** — <${f.url}>`);
  const operator = list.operator.map((f) => `${code(f.id, 64)} ${name(f.name)}`);
  return {
    embeds: [
      {
        title: "This server's feeds",
        description: own.length
          ? listText(own, 3000)
          : 'None: `/feed add` follows a website or feed.',
      },
      {
        title: "The bot's feeds (all servers)",
        description: operator.length ? listText(operator, 2500) : 'None.',
      },
    ],
    components: [],
    allowedMentions: { parse: [] },
  };
}

function statusLine({ feed, state, sharedGuids }: FeedStatus): string {
  const parts = [
    `${code(feed.id, 64)} **${name(feed.name)}**`,
    `last fetch ${when(state.lastFetchAt)}`,
    `next ${when(state.nextFetchAt)}`,
  ];
  if (state.failures > 0) {
    parts.push(
      `❌ ${state.failures} failure${state.failures === 1 ? '' : 's'} since ${when(state.failingSince)} (backing off): ${name(state.lastError ?? 'unknown error').slice(0, 300)}`,
    );
  } else if (state.lastSuccessAt) {
    parts.push('✅ ok');
  }
  if (sharedGuids)
    parts.push(
      `⚠️ gives several items the same guid (since ${when(sharedGuids.since)}): items are told apart by link and title`,
    );
  return parts.join(' · ');
}

/** /feed status: the server's feeds (last and next fetch, error, backoff) and its paused channels. */
export function renderFeedStatus(
  status: { feeds: FeedStatus[]; paused: Subscription[] },
  topicName: (key: string) => string,
): Reply {
  const feeds = status.feeds.map(statusLine);
  const paused = status.paused.map((s) => subscriptionLine(s, topicName));
  return {
    embeds: [
      {
        title: "This server's feeds",
        description: feeds.length
          ? listText(feeds, 3400)
          : 'None: `/feed add` follows a website or feed.',
      },
      {
        title: 'Channels I cannot post in',
        description: paused.length
          ? listText(paused, 2200)
          : 'None: every subscribed channel takes my posts.',
      },
    ],
    components: [],
    allowedMentions: { parse: [] },
  };
}

/** /feed import: what was added, and each skipped URL with its reason (as /feed add would say it). */
export function renderOpmlImport(result: OpmlImport): Reply {
  const added = result.added.map((f) => `${code(f.id, 64)} ${escapeMarkdown(oneLine(f.name))}`);
  const skipped = result.skipped.map(
    (s) => `${code(s.url, 120)}: ${escapeMarkdown(oneLine(s.reason))}`,
  );
  const parts = [
    `Added ${result.added.length} feed${result.added.length === 1 ? '' : 's'}, skipped ${result.skipped.length}.`,
    added.length ? `**Added**\n${listText(added, 700)}` : '',
    skipped.length ? `**Skipped**\n${listText(skipped, 1000)}` : '',
  ];
  return textReply(parts.filter(Boolean).join('\n'));
}

/** The name of the file /feed export attaches. */
export const OPML_EXPORT_NAME = 'feeds.opml';

/** /feed export: the OPML as an attached file, with a line saying what is in it. */
export function renderOpmlExport(exported: {
  opml: string;
  count: number;
}): Reply & { files: Array<{ attachment: Buffer; name: string }> } {
  const text =
    exported.count === 0
      ? 'This server follows no feeds of its own yet (`/feed add`); the file is an empty list.'
      : `This server's ${exported.count} feed${exported.count === 1 ? '' : 's'}, as OPML for any feed reader.`;
  return {
    ...textReply(text),
    files: [{ attachment: Buffer.from(exported.opml, 'utf8'), name: OPML_EXPORT_NAME }],
  };
}
