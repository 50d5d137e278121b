/**
 * The entry point `bin/briefing.mjs` runs (bundled to dist/briefing.js): the CLI, handed the slash
 * commands. Only this file knows both `src/` and `commands/`; the commands are imported lazily, so
 * they (and discord.js with them) load only when Discord is used.
 */
import { main as runCli } from './src/cli';

export const loadCommands = async () => (await import('./commands/index')).commandModules;

export function main(argv: string[]): Promise<number> {
  return runCli(argv, loadCommands);
}
