/**
 * A guild with one channel of each kind the posting surfaces use, and a twin of each where the
 * bot lacks the permission that surface needs, for the fake Discord's own tests and the
 * surfaces' integration tests.
 */
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { REST } from 'discord.js';
import type { FakeDiscord, FakeGuildConfig } from './fake-discord';

export const SURFACE_GUILD = '310000000000000001';
export const BOT_ROLE = '310000000000000050';
export const TEXT = '310000000000000010';
export const FORUM = '310000000000000011';
export const ANNOUNCE = '310000000000000012';
/** Bot may not open threads, send in threads, manage webhooks, or edit the forum here. */
export const LOCKED_TEXT = '310000000000000020';
export const LOCKED_FORUM = '310000000000000021';
/** Bot may open threads here but not write in them. */
export const MUTED_THREADS = '310000000000000022';

const THREADS_AND_HOOKS = String(
  PermissionFlagsBits.CreatePublicThreads |
    PermissionFlagsBits.SendMessagesInThreads |
    PermissionFlagsBits.ManageWebhooks |
    PermissionFlagsBits.ManageChannels,
);

export const SURFACE_GUILDS: FakeGuildConfig[] = [
  {
    id: SURFACE_GUILD,
    name: 'Surfaces Guild',
    botRoleIds: [BOT_ROLE],
    roles: [
      {
        id: BOT_ROLE,
        name: 'briefing-bot',
        permissions: String(
          PermissionFlagsBits.ViewChannel |
            PermissionFlagsBits.SendMessages |
            PermissionFlagsBits.EmbedLinks |
            PermissionFlagsBits.AttachFiles |
            BigInt(THREADS_AND_HOOKS),
        ),
      },
    ],
    channels: [
      { id: TEXT, name: 'briefings', type: ChannelType.GuildText },
      {
        id: FORUM,
        name: 'stories',
        type: ChannelType.GuildForum,
        tags: ['Energy', 'Water'],
      },
      { id: ANNOUNCE, name: 'wire', type: ChannelType.GuildAnnouncement },
      { id: LOCKED_TEXT, name: 'quiet', type: ChannelType.GuildText, deny: THREADS_AND_HOOKS },
      {
        id: LOCKED_FORUM,
        name: 'closed-stories',
        type: ChannelType.GuildForum,
        deny: THREADS_AND_HOOKS,
      },
      {
        id: MUTED_THREADS,
        name: 'muted-threads',
        type: ChannelType.GuildText,
        deny: String(PermissionFlagsBits.SendMessagesInThreads),
      },
    ],
  },
];

/**
 * The real discord.js REST client against the fake. Rate limits on channel routes reject at
 * once instead of being waited out, as the bot's own client does for crossposts.
 */
export function surfaceRest(fake: FakeDiscord): REST {
  return new REST({ api: fake.apiUrl, offset: 0, rejectOnRateLimit: ['/channels'] }).setToken(
    fake.token,
  );
}
