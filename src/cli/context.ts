import type { LoadCommands } from '../discord/command';
import { config as loadDotenv } from 'dotenv';
import { parseEnv, type Env } from '../config/env';
import { createLogger, type Logger } from '../log';
import { guardOutput } from '../output-boundary';
import { createRedactor, secretsOf } from '../redact';

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

export function createContext(
  options: GlobalOptions,
  loadCommands: LoadCommands,
  source: NodeJS.ProcessEnv = process.env,
): CliContext {
  loadDotenv({ quiet: true });
  const env = parseEnv(source);
  // From here on, whatever the process writes — ours or a library's — passes the redactor, and
  // what a person reads passes the terminal-escape filter.
  const secrets = secretsOf(env);
  guardOutput({ redact: createRedactor(secrets), stdoutIsData: options.json ?? false });
  const logger = createLogger({
    level: options.verbose ? 'debug' : env.LOG_LEVEL,
    json: env.LOG_FORMAT === 'json',
    secrets,
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
