import type { CommandModule } from './command';
import type { Interaction } from 'discord.js';
import type { Logger } from '../log';
import { checkCommand, type Command, type Services } from './command';
import { replyError } from './interaction';

export interface CommandRouter {
  handle(interaction: Interaction): Promise<void>;
}

/**
 * The one place interactions are dispatched: chat commands and autocomplete by command name,
 * buttons and select menus by the command name before the first ':' of their custom id. Every handler runs inside
 * try/catch, so a failure is answered (and logged once) instead of leaving Discord's
 * "The application did not respond".
 */
export function createCommandRouter(
  modules: CommandModule[],
  services: Services,
  logger: Logger,
): CommandRouter {
  const commands = modules.map((m) => checkCommand(m.command, m.where));
  const byName = new Map<string, Command>();
  for (const c of commands) {
    if (byName.has(c.data.name)) throw new Error(`Two command modules define /${c.data.name}`);
    byName.set(c.data.name, c);
  }

  return {
    async handle(i) {
      if (i.isChatInputCommand()) {
        const command = byName.get(i.commandName);
        if (!command)
          return replyError(
            i,
            new Error(`unknown command /${i.commandName} (deploy-commands is out of date?)`),
            logger,
            i.commandName,
          );
        try {
          await command.execute(i, services);
        } catch (err) {
          await replyError(i, err, logger, i.commandName);
        }
      } else if (i.isAutocomplete()) {
        const command = byName.get(i.commandName);
        try {
          await command?.autocomplete?.(i, services);
        } catch (err) {
          logger.warn('autocomplete failed', {
            guildId: i.guildId ?? undefined,
            command: i.commandName,
            error: err,
          });
          if (!i.responded) await i.respond([]).catch(() => {});
        }
      } else if (i.isButton()) {
        const name = i.customId.split(':', 1)[0] ?? '';
        const command = byName.get(name);
        if (!command?.button) return;
        try {
          await command.button(i, services);
        } catch (err) {
          await replyError(i, err, logger, `${name} (button)`);
        }
      } else if (i.isStringSelectMenu()) {
        const name = i.customId.split(':', 1)[0] ?? '';
        const command = byName.get(name);
        if (!command?.select) return;
        try {
          await command.select(i, services);
        } catch (err) {
          await replyError(i, err, logger, `${name} (menu)`);
        }
      }
    },
  };
}
