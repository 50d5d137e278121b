import { Events, type Client } from 'discord.js';
import type { Logger } from '../log';
import type { CommandRouter } from './router';

export interface Bot {
  readonly client: Client;
  /** Connects to the gateway; resolves once the session is ready (guilds cached). */
  login(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * The gateway side: interactions go to the command router; connection trouble is logged. Commands
 * are registered by `briefing deploy-commands`, never here: a restart must not rewrite them.
 */
export function createBot(options: {
  client: Client;
  token: string;
  router: CommandRouter;
  logger: Logger;
}): Bot {
  const { client, logger } = options;
  client.on(Events.InteractionCreate, (i) => void options.router.handle(i));
  client.on(Events.Error, (error) => logger.error('discord client error', { error }));
  client.on(Events.Warn, (message) => logger.warn('discord client warning', { detail: message }));
  client.on(Events.ShardDisconnect, (event, shard) =>
    logger.warn('gateway disconnected', { shard, code: event.code }),
  );
  client.on(Events.ShardResume, (shard) => logger.info('gateway resumed', { shard }));

  return {
    client,
    async login() {
      const ready = new Promise<void>((resolve) =>
        client.once(Events.ClientReady, () => resolve()),
      );
      await client.login(options.token);
      await ready;
      logger.info('connected to Discord', {
        user: client.user?.tag,
        guilds: client.guilds.cache.size,
      });
    },
    destroy: () => client.destroy(),
  };
}
