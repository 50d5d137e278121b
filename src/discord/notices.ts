import type { REST } from 'discord.js';
import { clip } from '../delivery/discord-limits';
import { escapeMarkdown } from '../delivery/escape-markdown';
import { relativeTime } from '../delivery/render-discord';
import type { Logger } from '../log';
import { digest } from '../store/hash';
import type { Pause, SubscriptionsRepo } from '../store/subscriptions';
import { postMessage } from './post-message';

/** How long "told once" is remembered; a pause or an outage older than this is news again. */
const NOTICE_MEMORY_MS = 30 * 86_400_000;

export interface NoticesDeps {
  rest: REST;
  /** The guild's system channel, if it has one (from the gateway cache). */
  systemChannelOf: (guildId: string) => string | undefined;
  subscriptions: Pick<SubscriptionsRepo, 'claimNotice'>;
  logger: Logger;
}

/** Things the bot tells a server about itself, each at most once. */
export interface Notices {
  channelPaused(guildId: string, channelId: string, pause: Pause): Promise<void>;
  channelResumed(channelId: string, pause: Pause): Promise<void>;
  feedFailing(
    feed: { id: string; name: string },
    channelIds: string[],
    since: string,
    error: string,
  ): Promise<void>;
}

const safe = (text: string, max = 300) => clip(escapeMarkdown(text), max);
const when = (iso: string) => relativeTime(new Date(iso));

export function createNotices(deps: NoticesDeps): Notices {
  /** Posts `content` once per `key`; a notice that cannot be posted is logged, never thrown. */
  async function tell(channelId: string, key: string, content: string) {
    if (!(await deps.subscriptions.claimNotice(key, NOTICE_MEMORY_MS))) return;
    const result = await postMessage(
      deps.rest,
      channelId,
      { content, allowed_mentions: { parse: [] } },
      digest(key, 25),
    );
    if (result.kind !== 'sent')
      deps.logger.warn('notice not posted', {
        channelId,
        notice: key.split(':')[0],
        reason: result.reason,
      });
  }

  return {
    async channelPaused(guildId, channelId, pause) {
      const system = deps.systemChannelOf(guildId);
      if (!system || system === channelId) return;
      await tell(
        system,
        `paused:${channelId}:${pause.since}`,
        `⚠️ I cannot post briefings in <#${channelId}> (${safe(pause.reason)}), so its subscriptions are paused. ` +
          'New briefings are kept and posted once I can: I try again every hour, or at once when someone runs ' +
          '`/subscribe` there again. I need View Channel, Send Messages and Embed Links in that channel.',
      );
    },
    async channelResumed(channelId, pause) {
      await tell(
        channelId,
        `resumed:${channelId}:${pause.since}`,
        `Briefings resume here: posting was refused ${when(pause.since)} (${safe(pause.reason)}). Held briefings are being posted.`,
      );
    },
    async feedFailing(feed, channelIds, since, error) {
      for (const channelId of channelIds) {
        await tell(
          channelId,
          `feed-failing:${feed.id}:${since}:${channelId}`,
          `⚠️ The feed **${safe(feed.name, 100)}** has been failing since ${when(since)}: ${safe(error)}. ` +
            'Briefings from it will follow when it recovers; `/feed status` shows its state.',
        );
      }
    },
  };
}
