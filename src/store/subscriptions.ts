import { z } from 'zod';
import { LAYOUTS } from '../domain/layout';
import { digest } from './hash';
import type { Write } from './atomic';
import type { KV } from './kv';

export const SnowflakeSchema = z.string().regex(/^\d{17,20}$/, 'expected a Discord id');

/** Why and since when a channel refused our posts; its deliveries are held until it accepts again. */
export const PauseSchema = z.object({ reason: z.string().max(300), since: z.string() });
export type Pause = z.infer<typeof PauseSchema>;

/** The Discord surfaces a subscription can use besides a plain message (surface-pause.ts). */
export const SURFACES = ['forum', 'thread', 'crosspost', 'webhook'] as const;
export type SurfaceName = (typeof SURFACES)[number];

/**
 * A surface Discord refuses in a channel while the briefing itself can still be posted (a thread
 * that cannot open, a webhook the bot may not create, a message it may not publish): shown with
 * the channel's subscriptions until the surface works again. Per channel, like `paused`.
 */
export const SurfacePauseSchema = PauseSchema.extend({ surface: z.enum(SURFACES) });
export type SurfacePause = z.infer<typeof SurfacePauseSchema>;

/**
 * A channel following a topic. `topicId` is the topic's internal id: a global topic's own id, or
 * `<guildId>:<id>` for a guild topic. `paused` is not stored on the subscription: it belongs to
 * the channel (Discord refuses a channel, not a topic) and is filled in when read.
 */
export const SubscriptionSchema = z.object({
  guildId: SnowflakeSchema,
  channelId: SnowflakeSchema,
  topicId: z.string().min(1).max(160),
  mode: z.enum(['instant', 'digest']),
  /** 'HH:MM' UTC; digest mode only. */
  digestTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .optional(),
  mentionRoleId: SnowflakeSchema.optional(),
  /** How briefings look; `card` when absent (subscriptions stored before layouts). */
  layout: z.enum(LAYOUTS).optional(),
  /** The channel is a forum: each briefing is a post titled with its headline, tagged with its topics. */
  forum: z.literal(true).optional(),
  /** A discussion thread on each briefing, archived after this many idle minutes. */
  threadArchiveMinutes: z.number().int().positive().optional(),
  /** An announcement channel: each briefing is published to the servers that follow it. */
  publish: z.literal(true).optional(),
  /** Posted through the channel's webhook under this name and avatar. */
  webhook: z
    .object({
      name: z.string().min(1).max(80).optional(),
      avatarUrl: z.string().max(2048).optional(),
    })
    .optional(),
  paused: PauseSchema.optional(),
  /** Filled in when read, like `paused`. */
  surfacePaused: z.array(SurfacePauseSchema).optional(),
  createdAt: z.string(),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

const PausedChannelsSchema = z.record(z.string(), PauseSchema.extend({ guildId: z.string() }));
export type PausedChannels = z.infer<typeof PausedChannelsSchema>;

const SurfacePausesSchema = z.record(
  z.string(),
  z.record(z.string(), PauseSchema.extend({ guildId: z.string() })),
);
type SurfacePauses = z.infer<typeof SurfacePausesSchema>;

export interface SubscriptionsRepo {
  /** Adds the subscription, or replaces the one of the same channel and topic. */
  put(sub: Subscription): Promise<void>;
  remove(guildId: string, channelId: string, topicId: string): Promise<boolean>;
  /** Removes every subscription of a guild to a topic (the topic was deleted); returns how many. */
  removeTopic(guildId: string, topicId: string): Promise<number>;
  /** The subscriptions to any of these topics, across guilds: what routing one item reads. */
  forTopics(topicIds: string[]): Promise<Subscription[]>;
  forGuild(guildId: string): Promise<Subscription[]>;
  /** Every paused channel with its pause, by channel id. */
  pausedChannels(): Promise<PausedChannels>;
  /** Pauses a channel (true if it was not paused) or, with `undefined`, resumes it (true if it was). */
  setChannelPaused(guildId: string, channelId: string, pause: Pause | undefined): Promise<boolean>;
  /** As `setChannelPaused`, for one surface of the channel: the briefings themselves go on. */
  setSurfacePaused(
    guildId: string,
    channelId: string,
    surface: SurfaceName,
    pause: Pause | undefined,
  ): Promise<boolean>;
  /**
   * Records that a feed's items went to these channels, so a failing feed can be reported to the
   * channels that depend on it. Writes only when a channel is new for the feed.
   */
  recordFeedChannels(feedId: string, channelIds: string[]): Promise<void>;
  feedChannels(feedId: string): Promise<string[]>;
  /** The server's own text for card-layout briefings (card-template.ts), if it set one. */
  cardTemplate(guildId: string): Promise<string | undefined>;
  /** Sets the server's card text, or with `undefined` goes back to the plain summary. */
  setCardTemplate(guildId: string, template: string | undefined): Promise<void>;
  /** True exactly once per key (until `ttlMs` passes): to tell a server something once. */
  claimNotice(key: string, ttlMs: number): Promise<boolean>;
}

/** A card's text fits an embed description (4096); checked for Discord's limits when set. */
const CardTemplateSchema = z.string().min(1).max(4096);

const PAUSED = 'subs:paused';
const SURFACE_PAUSED = 'subs:surface-paused';

export function createSubscriptionsRepo(kv: KV): SubscriptionsRepo {
  const topicKey = (topicId: string) => `subs:topic:${topicId}`;
  const guildKey = (guildId: string) => `subs:guild:${guildId}`;
  const feedKey = (feedId: string) => `subs:feed:${feedId}`;
  const templateKey = (guildId: string) => `subs:card-template:${guildId}`;

  const parseSubs = (raw: unknown): Subscription[] =>
    z.array(SubscriptionSchema).safeParse(raw ?? []).data ?? [];
  const parsePaused = (raw: unknown): PausedChannels =>
    PausedChannelsSchema.safeParse(raw ?? {}).data ?? {};
  const parseSurfacePauses = (raw: unknown): SurfacePauses =>
    SurfacePausesSchema.safeParse(raw ?? {}).data ?? {};
  const readPaused = async () => parsePaused(await kv.get(PAUSED));
  const readSurfacePauses = async () => parseSurfacePauses(await kv.get(SURFACE_PAUSED));
  /**
   * Atomic change of one key (KV.update); `change` returns undefined to leave it unchanged.
   * True if it changed.
   */
  const edit = <T>(key: string, parse: (raw: unknown) => T, change: (v: T) => T | undefined) =>
    kv.update([key], ([raw]) => {
      const next = change(parse(raw));
      return {
        writes: next === undefined ? [] : [{ key, value: next }],
        result: next !== undefined,
      };
    });
  const ids = (raw: unknown) => (raw as string[] | undefined) ?? [];
  /**
   * A topic's subscriptions and the guild's index of its topics, changed together: `change`
   * returns the topic's new list (undefined: unchanged), and the guild lists the topic while it
   * has a subscription of the guild to it. Answers how many subscriptions the change removed.
   */
  const editTopic = (
    guildId: string,
    topicId: string,
    change: (subs: Subscription[]) => Subscription[] | undefined,
  ) =>
    kv.update([topicKey(topicId), guildKey(guildId)], ([rawSubs, rawIndex]) => {
      const before = parseSubs(rawSubs);
      const next = change(before);
      const index = ids(rawIndex);
      const listed = index.includes(topicId);
      const follows = (next ?? before).some((s) => s.guildId === guildId);
      const writes: Write[] = [];
      if (next !== undefined) writes.push({ key: topicKey(topicId), value: next });
      if (follows && !listed) writes.push({ key: guildKey(guildId), value: [...index, topicId] });
      if (!follows && listed)
        writes.push({ key: guildKey(guildId), value: index.filter((id) => id !== topicId) });
      return { writes, result: next === undefined ? 0 : Math.max(0, before.length - next.length) };
    });

  const withPause = async (subs: Subscription[]): Promise<Subscription[]> => {
    if (subs.length === 0) return [];
    const [paused, surfaces] = await Promise.all([readPaused(), readSurfacePauses()]);
    return subs.map(({ paused: _stale, surfacePaused: _old, ...s }) => {
      const p = paused[s.channelId];
      const refused = Object.entries(surfaces[s.channelId] ?? {}).map(([surface, sp]) => ({
        surface: surface as SurfaceName,
        reason: sp.reason,
        since: sp.since,
      }));
      return {
        ...s,
        ...(p ? { paused: { reason: p.reason, since: p.since } } : {}),
        ...(refused.length ? { surfacePaused: refused } : {}),
      };
    });
  };
  const sameSub = (a: Subscription, guildId: string, channelId: string) =>
    a.guildId === guildId && a.channelId === channelId;

  async function forGuild(guildId: string) {
    const topicIds = (await kv.get<string[]>(guildKey(guildId))) ?? [];
    const lists = await kv.getMany(topicIds.map(topicKey));
    const subs = lists.flatMap(parseSubs);
    return withPause(subs.filter((s) => s.guildId === guildId));
  }

  return {
    async put(sub) {
      const { paused: _ignored, surfacePaused: _read, ...stored } = SubscriptionSchema.parse(sub);
      await editTopic(sub.guildId, sub.topicId, (subs) => [
        ...subs.filter((s) => !sameSub(s, sub.guildId, sub.channelId)),
        stored,
      ]);
    },
    async remove(guildId, channelId, topicId) {
      const removed = await editTopic(guildId, topicId, (subs) => {
        const kept = subs.filter((s) => !sameSub(s, guildId, channelId));
        return kept.length < subs.length ? kept : undefined;
      });
      return removed > 0;
    },
    removeTopic: (guildId, topicId) =>
      editTopic(guildId, topicId, (subs) => {
        const kept = subs.filter((s) => s.guildId !== guildId);
        return kept.length < subs.length ? kept : undefined;
      }),
    async forTopics(topicIds) {
      const unique = [...new Set(topicIds)];
      if (unique.length === 0) return [];
      const lists = await kv.getMany(unique.map(topicKey));
      return withPause(lists.flatMap(parseSubs));
    },
    forGuild,
    pausedChannels: readPaused,
    setChannelPaused: (guildId, channelId, pause) =>
      edit(PAUSED, parsePaused, (map) => {
        const changed = pause ? !map[channelId] : Boolean(map[channelId]);
        if (!changed) return undefined;
        const { [channelId]: _old, ...rest } = map;
        return pause ? { ...rest, [channelId]: { ...pause, guildId } } : rest;
      }),
    setSurfacePaused: (guildId, channelId, surface, pause) =>
      edit(SURFACE_PAUSED, parseSurfacePauses, (map) => {
        const channel = map[channelId] ?? {};
        const changed = pause ? !channel[surface] : Boolean(channel[surface]);
        if (!changed) return undefined;
        const { [surface]: _old, ...rest } = channel;
        const next = pause ? { ...rest, [surface]: { ...pause, guildId } } : rest;
        const { [channelId]: _was, ...others } = map;
        return Object.keys(next).length ? { ...others, [channelId]: next } : others;
      }),
    async recordFeedChannels(feedId, channelIds) {
      // Channels are only ever added to the list, so one the list names stays named: a plain
      // read settles the usual case (every channel known) without an atomic update, which on
      // PostgreSQL is a transaction per routed item.
      const listed = ids(await kv.get(feedKey(feedId)));
      if (channelIds.every((c) => listed.includes(c))) return;
      await edit(feedKey(feedId), ids, (known) => {
        const added = [...new Set(channelIds)].filter((c) => !known.includes(c));
        return added.length ? [...known, ...added] : undefined;
      });
    },
    feedChannels: async (feedId) => (await kv.get<string[]>(feedKey(feedId))) ?? [],
    async cardTemplate(guildId) {
      const parsed = CardTemplateSchema.safeParse(await kv.get(templateKey(guildId)));
      return parsed.success ? parsed.data : undefined;
    },
    async setCardTemplate(guildId, template) {
      if (template === undefined) await kv.delete(templateKey(guildId));
      else await kv.set(templateKey(guildId), CardTemplateSchema.parse(template));
    },
    claimNotice(key, ttlMs) {
      const stored = `notice:${digest(key)}`;
      return kv.update([stored], ([told]) =>
        told !== undefined
          ? { writes: [], result: false }
          : { writes: [{ key: stored, value: true, ttlMs }], result: true },
      );
    },
  };
}
