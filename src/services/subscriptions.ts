import type { Briefing } from '../delivery/briefing';
import { UserError } from '../errors';
import { cardTemplateProblems } from '../delivery/card-template';
import { isLayout, LAYOUTS } from '../domain/layout';
import {
  AUTO_ARCHIVE_MINUTES,
  avatarUrlProblem,
  DEFAULT_AUTO_ARCHIVE,
  isAutoArchiveMinutes,
  webhookNameProblems,
} from './surface-rules';
import {
  SnowflakeSchema,
  SURFACES,
  type SurfaceName,
  type Subscription,
  type SubscriptionsRepo,
} from '../store/subscriptions';
import type { TopicEntry } from '../catalog/live-catalog';
import {
  type CrosspostLanesRepo,
  type LaneStatus,
  laneStatus,
  resumedLane,
} from '../store/crosspost-lanes';
import { DEFAULT_DIGEST_TIME } from './digest-time';
import { digestTimeOption, INPUT_LIMITS, textOption } from './validate';
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
  /** What kind of channel it is: a forum gets forum posts; only an announcement channel can publish. */
  channelKind?: ChannelKind;
  /** 'card', 'compact' or 'headline'. @default 'card' */
  layout?: string;
  /** Open a discussion thread on each briefing. */
  thread?: boolean;
  /** Minutes before an idle thread archives (60, 1440, 4320 or 10080); with `thread` only. */
  autoArchiveMinutes?: number;
  /** Publish each briefing to the servers following this announcement channel. */
  publish?: boolean;
  /** Post through the channel's webhook under this name… */
  webhookName?: string;
  /** …and this avatar (an https URL). */
  avatarUrl?: string;
  /**
   * Surfaces the platform says the bot may not use in the channel right now, each with a sentence
   * for the admin: the subscription is kept with those surfaces shown paused.
   */
  refused?: Array<{ surface: SurfaceName; reason: string }>;
  /**
   * The server's card text for every card-layout subscription in it, with placeholders
   * (card-template.ts); `default` goes back to the plain summary.
   */
  cardTemplate?: string;
}

/** What `card_template: default` means: the server's template is removed. */
export const DEFAULT_TEMPLATE_WORD = 'default';
/** Typed in one line of Discord's input; the filled-in length is checked against the card's room. */
export const CARD_TEMPLATE_MAX = 1000;

export type ChannelKind = 'text' | 'announcement' | 'forum';

/** A subscription as listed: a publishing one says how many briefings wait to be published. */
export type ListedSubscription = Subscription & { crossposts?: LaneStatus };

export interface SubscribeResult {
  subscription: Subscription;
  topic: TopicEntry;
  /** True when the channel already followed the topic and its settings were replaced. */
  replaced: boolean;
  catchUp: Briefing[];
  /** What the admin should fix: the surfaces refused in the channel, one sentence each. */
  warnings: string[];
  /** Set when this /subscribe changed the server's card template. */
  cardTemplate?: 'set' | 'cleared';
}

/** The template as it will be stored, or undefined to clear it; refused with Discord's reasons. */
function checkedTemplate(text: string): string | undefined {
  const template = textOption(text, 'The card template', CARD_TEMPLATE_MAX);
  if (template.toLowerCase() === DEFAULT_TEMPLATE_WORD) return undefined;
  const problems = cardTemplateProblems(template);
  if (problems.length) throw new UserError(`The card template: ${problems.join('; ')}.`);
  return template;
}

type SurfaceFields = Pick<
  Subscription,
  'layout' | 'forum' | 'threadArchiveMinutes' | 'publish' | 'webhook'
>;

/**
 * The subscription's Discord surface options, checked against each other and against Discord's
 * rules before anything is stored: a problem is an answer at /subscribe time, not a failed post.
 */
export function surfaceFields(req: SubscribeRequest, mode: string): SurfaceFields {
  const kind = req.channelKind ?? 'text';
  const fields: SurfaceFields = {};
  if (req.layout !== undefined) {
    if (!isLayout(req.layout)) throw new UserError(`\`layout\` is one of ${LAYOUTS.join(', ')}.`);
    if (req.layout !== 'card') fields.layout = req.layout;
  }
  const identity = req.webhookName !== undefined || req.avatarUrl !== undefined;
  if (kind === 'forum') {
    if (mode === 'digest') throw new UserError('A forum channel takes instant briefings only.');
    if (req.thread || req.publish || identity)
      throw new UserError(
        'In a forum channel each briefing is already its own post: `thread`, `publish` and a webhook identity do not apply.',
      );
    fields.forum = true;
  }
  if (req.autoArchiveMinutes !== undefined && !req.thread)
    throw new UserError('`auto_archive` needs `thread: true`.');
  if (req.thread) {
    if (mode === 'digest') throw new UserError('`thread` works with instant briefings only.');
    const minutes = req.autoArchiveMinutes ?? DEFAULT_AUTO_ARCHIVE;
    if (!isAutoArchiveMinutes(minutes))
      throw new UserError(`\`auto_archive\` is one of ${AUTO_ARCHIVE_MINUTES.join(', ')} minutes.`);
    fields.threadArchiveMinutes = minutes;
  }
  if (req.publish) {
    if (kind !== 'announcement')
      throw new UserError('`publish` needs an announcement channel: only those have followers.');
    fields.publish = true;
  }
  if (identity) {
    // A webhook's message cannot carry a discussion thread or be published by the bot as its own.
    if (req.thread || req.publish)
      throw new UserError('A webhook identity cannot be combined with `thread` or `publish`.');
    const name = req.webhookName?.trim();
    const avatarUrl =
      req.avatarUrl === undefined
        ? undefined
        : textOption(req.avatarUrl, 'The avatar URL', INPUT_LIMITS.url);
    const problems = [
      ...(name === undefined ? [] : webhookNameProblems(name)),
      ...(avatarUrl === undefined ? [] : [avatarUrlProblem(avatarUrl) ?? []].flat()),
    ];
    if (problems.length) throw new UserError(`The webhook identity: ${problems.join('; ')}.`);
    fields.webhook = { ...(name ? { name } : {}), ...(avatarUrl ? { avatarUrl } : {}) };
  }
  return fields;
}

export interface SubscriptionServiceDeps {
  subscriptions: SubscriptionsRepo;
  /** What waits to be published in announcement channels, shown with their subscriptions. */
  crosspostLanes: Pick<CrosspostLanesRepo, 'get' | 'edit'>;
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
      const surfaces = surfaceFields(req, mode);
      const template =
        req.cardTemplate === undefined ? undefined : checkedTemplate(req.cardTemplate);
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
        ...surfaces,
        createdAt: existing?.createdAt ?? deps.clock().toISOString(),
      };
      await deps.subscriptions.put(subscription);
      if (req.cardTemplate !== undefined)
        await deps.subscriptions.setCardTemplate(req.guildId, template);
      // Subscribing again is how an admin says "I fixed the channel": try its held briefings now.
      await deps.health.resume(req.guildId, req.channelId);
      if (subscription.publish)
        await deps.crosspostLanes.edit(req.channelId, resumedLane, deps.clock().getTime());
      const since = deps.clock().toISOString();
      const refused = new Map((req.refused ?? []).map((r) => [r.surface, r.reason]));
      for (const surface of SURFACES) {
        const reason = refused.get(surface);
        await deps.subscriptions.setSurfacePaused(
          req.guildId,
          req.channelId,
          surface,
          reason === undefined ? undefined : { reason, since },
        );
      }
      const catchUp = await deps.briefings.latest(req.guildId, topic, CATCH_UP_ITEMS);
      return {
        subscription,
        topic,
        replaced: existing !== undefined,
        catchUp,
        warnings: [...refused.values()],
        ...(req.cardTemplate === undefined
          ? {}
          : { cardTemplate: template === undefined ? ('cleared' as const) : ('set' as const) }),
      };
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

    /** The server's subscriptions, each publishing one with what waits to be published. */
    async forGuild(guildId: string): Promise<ListedSubscription[]> {
      const subs = await deps.subscriptions.forGuild(guildId);
      const now = deps.clock().getTime();
      return Promise.all(
        subs.map(async (s) =>
          s.publish
            ? { ...s, crossposts: laneStatus(await deps.crosspostLanes.get(s.channelId), now) }
            : s,
        ),
      );
    },
    cardTemplate: (guildId: string) => deps.subscriptions.cardTemplate(guildId),
  };
}
