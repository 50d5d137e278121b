import { Client, GatewayIntentBits, Options } from 'discord.js';
import { rejectCrosspostRateLimits } from './crosspost-queue';

/**
 * The gateway client, as lean as the bot's needs: the Guilds intent only (guilds, channels,
 * roles: what permission checks and system-channel notices read) and no caches for what it never
 * reads (messages, members, users, presences, emoji, threads…), so memory stays flat however many
 * guilds it joins. The bot's own member and user are kept: permission checks need them.
 */
export function createDiscordClient(options: { token: string; apiUrl?: string }): Client {
  const keepSelf = {
    maxSize: 0,
    keepOverLimit: (x: { id: string; client: Client }) => x.id === x.client.user?.id,
  };
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // As many shards as Discord recommends for the guilds the bot is in (GET /gateway/bot): one
    // process holds them all, so a bot in thousands of guilds needs no other change.
    shards: 'auto',
    rest: {
      ...(options.apiUrl ? { api: options.apiUrl } : {}),
      rejectOnRateLimit: rejectCrosspostRateLimits,
      // Node's own fetch, so an upload's FormData and the request share one implementation: the
      // undici discord.js bundles cannot send a body built by the newer undici the feed fetcher
      // loads (uploads such as /feed export's file stalled or threw).
      makeRequest: (url, init) => fetch(url, init as RequestInit),
    },
    makeCache: Options.cacheWithLimits({
      MessageManager: 0,
      DMMessageManager: 0,
      GuildMessageManager: 0,
      GuildMemberManager: keepSelf,
      UserManager: keepSelf,
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      ThreadManager: 0,
      ThreadMemberManager: 0,
      GuildForumThreadManager: 0,
      GuildTextThreadManager: 0,
      GuildEmojiManager: 0,
      BaseGuildEmojiManager: 0,
      ApplicationEmojiManager: 0,
      GuildStickerManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      VoiceStateManager: 0,
      GuildInviteManager: 0,
      GuildBanManager: 0,
      AutoModerationRuleManager: 0,
      EntitlementManager: 0,
    }),
    sweepers: Options.DefaultSweeperSettings,
  });
  // REST works without the gateway: the outbox can drain while the gateway (re)connects.
  client.rest.setToken(options.token);
  return client;
}
