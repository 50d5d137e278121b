import type { Briefing } from '../delivery/briefing';
import { UserError } from '../errors';
import { SnowflakeSchema, type Subscription, type SubscriptionsRepo } from '../store/subscriptions';
import type { TopicEntry } from '../catalog/live-catalog';
import { DEFAULT_DIGEST_TIME } from './digest-time';
import { digestTimeOption } from './validate';
import type { BriefingService } from './briefings';
import type { TopicService } from './topics';

/** Items shown right after subscribing, so a new subscriber never stares at an empty channel. */
export const CATCH_UP_ITEMS = 3;

export interface SubscribeRequest {
  guildId: string;
  channelId: string;
  topic: string;
  /** 'instant' or 'digest'. @default 'instant' */
  mode?: string;
  /** 'HH:MM' UTC; digest mode only. @default '08:00' */
  digestTime?: string;
  mentionRoleId?: string;
}

export interface SubscribeResult {
  subscription: Subscription;
  topic: TopicEntry;
  /** True when the channel already followed the topic and its settings were replaced. */
  replaced: boolean;
  catchUp: Briefing[];
}

export interface SubscriptionServiceDeps {
  subscriptions: SubscriptionsRepo;
  topics: TopicService;
  briefings: BriefingService;
  /**
   * The delivery surface's view of a channel that refused posts: subscribing again is the admin
   * saying it is fixed, so the surface resumes it (Discord: `channel-health.ts`).
   */
  health: { resume(guildId: string, channelId: string): Promise<void> };
  clock: () => Date;
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;

export function createSubscriptionService(deps: SubscriptionServiceDeps) {
  return {
    async subscribe(req: SubscribeRequest): Promise<SubscribeResult> {
      const topic = deps.topics.resolve(req.guildId, req.topic);
      const mode = req.mode ?? 'instant';
      if (mode !== 'instant' && mode !== 'digest')
        throw new UserError('`mode` is `instant` or `digest`.');
      if (mode === 'instant' && req.digestTime !== undefined)
        throw new UserError('`digest_time` needs `mode: digest`.');
      if (
        req.mentionRoleId !== undefined &&
        (req.mentionRoleId === req.guildId || !SnowflakeSchema.safeParse(req.mentionRoleId).success)
      ) {
        throw new UserError('`mention_role` must be a role other than @everyone.');
      }
      const existing = (await deps.subscriptions.forGuild(req.guildId)).find(
        (s) => s.channelId === req.channelId && s.topicId === topic.key,
      );
      const subscription: Subscription = {
        guildId: req.guildId,
        channelId: req.channelId,
        topicId: topic.key,
        mode,
        ...(mode === 'digest'
          ? {
              digestTime:
                req.digestTime === undefined
                  ? DEFAULT_DIGEST_TIME
                  : digestTimeOption(req.digestTime),
            }
          : {}),
        ...(req.mentionRoleId ? { mentionRoleId: req.mentionRoleId } : {}),
        createdAt: existing?.createdAt ?? deps.clock().toISOString(),
      };
      await deps.subscriptions.put(subscription);
      // Subscribing again is how an admin says "I fixed the channel": try its held briefings now.
      await deps.health.resume(req.guildId, req.channelId);
      const catchUp = await deps.briefings.latest(req.guildId, topic, CATCH_UP_ITEMS);
      return { subscription, topic, replaced: existing !== undefined, catchUp };
    },

    async unsubscribe(
      guildId: string,
      channelId: string,
      typedTopic: string,
    ): Promise<{ id: string; name: string }> {
      const id = typedTopic.trim().toLowerCase();
      const topic = deps.topics.list(guildId).find((t) => t.id === id);
      // A global topic the operator deleted can still be unsubscribed by its id.
      const key = topic?.key ?? id;
      if (!(await deps.subscriptions.remove(guildId, channelId, key))) {
        throw new UserError(`<#${channelId}> does not follow \`${id.slice(0, 64)}\`.`);
      }
      return { id, name: topic?.def.name ?? id };
    },

    forGuild: (guildId: string) => deps.subscriptions.forGuild(guildId),
  };
}
