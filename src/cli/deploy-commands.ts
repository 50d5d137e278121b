import {
  REST,
  Routes,
  type RESTGetAPIApplicationCommandsResult,
  type RESTGetCurrentApplicationResult,
} from 'discord.js';
import { type CommandModule, checkCommand } from '../discord/command';
import { commandSetProblems } from '../discord/command-rules';
import { ConfigError } from '../errors';
import type { CliContext } from './context';

export interface DeployOptions {
  /** Register in one server only: changes show at once there (global ones can take a while). */
  guild?: string;
}

/** Every command definition, checked against Discord's rules (a broken one is our bug). */
export function commandDefinitions(modules: CommandModule[]) {
  const body = modules.map((m) => checkCommand(m.command, m.where).data.toJSON());
  const problems = commandSetProblems(body);
  if (problems.length > 0)
    throw new Error(`Command definitions break Discord's rules:\n${problems.join('\n')}`);
  return body;
}

/**
 * `briefing deploy-commands [--guild ID]`: registers every slash command with one bulk overwrite
 * (PUT), so commands removed from the code disappear from Discord too. Run after installing or
 * upgrading; `start` never registers commands.
 */
export async function deployCommands(
  ctx: CliContext,
  options: DeployOptions = {},
): Promise<number> {
  const token = ctx.env.DISCORD_TOKEN;
  if (!token)
    throw new ConfigError([
      {
        file: 'environment',
        path: 'DISCORD_TOKEN',
        message: 'deploy-commands needs the bot token',
      },
    ]);
  if (options.guild !== undefined && !/^\d{17,20}$/.test(options.guild)) {
    throw new ConfigError([
      { file: 'command line', path: '--guild', message: 'expected a server id (17-20 digits)' },
    ]);
  }
  const body = commandDefinitions(await ctx.loadCommands());
  const rest = new REST(ctx.env.DISCORD_API_URL ? { api: ctx.env.DISCORD_API_URL } : {}).setToken(
    token,
  );
  const application = (await rest.get(
    Routes.currentApplication(),
  )) as RESTGetCurrentApplicationResult;
  const route = options.guild
    ? Routes.applicationGuildCommands(application.id, options.guild)
    : Routes.applicationCommands(application.id);
  const saved = (await rest.put(route, { body })) as RESTGetAPIApplicationCommandsResult;
  const scope = options.guild ? `in server ${options.guild}` : 'globally';
  ctx.logger.info(
    `registered ${saved.length} commands ${scope}: ${saved.map((c) => `/${c.name}`).join(' ')}`,
    { application: application.id },
  );
  return 0;
}
