/**
 * Builders for the guild-side Discord objects the fake hands out. Fields discord.js reads while
 * building its structures (Guild, Channel, Role, GuildMember) are all present, with neutral defaults.
 */
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  OverwriteType,
  PermissionFlagsBits,
  type RoleFlags,
} from 'discord-api-types/v10';
import type {
  APIGuildMember,
  APIRole,
  APITextChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';

export interface FakeChannelConfig {
  id: string;
  name: string;
  /** @default ChannelType.GuildText */
  type?: ChannelType.GuildText | ChannelType.GuildAnnouncement | ChannelType.GuildForum;
  /**
   * Permissions taken from @everyone in this channel (an overwrite, as a decimal bitfield), e.g.
   * `String(PermissionFlagsBits.ManageWebhooks)`; the bot loses them here unless it is an admin.
   */
  deny?: string;
  /** A forum's tags at the start (names); each gets an id. */
  tags?: string[];
}

export interface FakeRoleConfig {
  id: string;
  name: string;
  /** Permission bitfield as a decimal string. @default '0' */
  permissions?: string;
}

export interface FakeGuildConfig {
  id: string;
  name: string;
  channels: FakeChannelConfig[];
  systemChannelId?: string;
  /** Extra roles; the @everyone role (id = guild id) is added unless listed here. */
  roles?: FakeRoleConfig[];
  /** Role ids the bot's member holds. @default [] */
  botRoleIds?: string[];
}

/** What @everyone may do unless a guild lists its own @everyone role: enough to post briefings. */
export const DEFAULT_EVERYONE_PERMISSIONS = String(
  PermissionFlagsBits.ViewChannel |
    PermissionFlagsBits.SendMessages |
    PermissionFlagsBits.EmbedLinks |
    PermissionFlagsBits.AttachFiles |
    PermissionFlagsBits.ReadMessageHistory |
    PermissionFlagsBits.UseApplicationCommands,
);

export function userPayload(id: string, username: string, bot: boolean): APIUser {
  return { id, username, discriminator: '0', global_name: null, avatar: null, bot };
}

function rolePayload(role: FakeRoleConfig, position: number): APIRole {
  return {
    id: role.id,
    name: role.name,
    permissions: role.permissions ?? '0',
    position,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    managed: false,
    mentionable: false,
    // Flag enums have no zero member; an empty bitfield is still what Discord sends.
    flags: 0 as RoleFlags,
  };
}

export function guildRoles(guild: FakeGuildConfig): APIRole[] {
  const roles = guild.roles ?? [];
  const everyone = roles.some((r) => r.id === guild.id)
    ? []
    : [{ id: guild.id, name: '@everyone', permissions: DEFAULT_EVERYONE_PERMISSIONS }];
  return [...everyone, ...roles].map((role, position) => rolePayload(role, position));
}

export function channelPayload(
  guildId: string,
  channel: FakeChannelConfig,
  position = 0,
): APITextChannel {
  const overwrites = channel.deny
    ? [{ id: guildId, type: OverwriteType.Role, allow: '0', deny: channel.deny }]
    : [];
  return {
    id: channel.id,
    // Announcement channels share the text channel shape; the cast only widens the literal type.
    type: (channel.type ?? ChannelType.GuildText) as ChannelType.GuildText,
    name: channel.name,
    guild_id: guildId,
    position,
    permission_overwrites: overwrites,
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
}

export function memberPayload(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    roles,
    joined_at: joinedAt,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    nick: null,
    avatar: null,
    banner: null,
  };
}

export function guildCreatePayload(
  guild: FakeGuildConfig,
  bot: APIUser,
  joinedAt: string,
): GatewayGuildCreateDispatchData {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: '1',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: guildRoles(guild),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.systemChannelId ?? null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_progress_bar_enabled: false,
    preferred_locale: Locale.EnglishUS,
    nsfw_level: GuildNSFWLevel.Default,
    hub_type: null,
    incidents_data: null,
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: 1,
    members: [memberPayload(bot, guild.botRoleIds ?? [], joinedAt)],
    channels: guild.channels.map((channel, i) => channelPayload(guild.id, channel, i)),
    threads: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
