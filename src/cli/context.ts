import type { LoadCommands } from '../discord/command';
import { config as loadDotenv } from 'dotenv';
import { parseEnv, type Env } from '../config/env';
import { createLogger, type Logger } from '../log';

/** Options every command accepts. */
export interface GlobalOptions {
  config: string;
  json?: boolean;
  verbose?: boolean;
}

export interface CliContext {
  env: Env;
  logger: Logger;
  configDir: string;
  json: boolean;
  verbose: boolean;
  /** Data output (briefings, query results): stdout. Logs go to stderr. */
  out: (text: string) => void;
  color: boolean;
  /** The slash commands, for Discord mode and deploy-commands. */
  loadCommands: LoadCommands;
}

/** Secrets that must never reach a log line: the token, and any password inside the store URL. */
function secretsOf(env: Env): string[] {
  const secrets = env.DISCORD_TOKEN ? [env.DISCORD_TOKEN] : [];
  try {
    const password = new URL(env.STORE_URL).password;
    if (password) secrets.push(decodeURIComponent(password), password);
  } catch {
    // Not a URL with a password: nothing to hide.
  }
  return secrets;
}

export function createContext(
  options: GlobalOptions,
  loadCommands: LoadCommands,
  source: NodeJS.ProcessEnv = process.env,
): CliContext {
  loadDotenv({ quiet: true });
  const env = parseEnv(source);
  const logger = createLogger({
    level: options.verbose ? 'debug' : env.LOG_LEVEL,
    json: env.LOG_FORMAT === 'json',
    secrets: secretsOf(env),
  });
  return {
    env,
    logger,
    configDir: options.config,
    loadCommands,
    json: options.json ?? false,
    verbose: options.verbose ?? false,
    out: (text) => process.stdout.write(text),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}
