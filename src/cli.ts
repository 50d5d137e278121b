import { Command, CommanderError, Option } from 'commander';
import { BriefingError, ConfigError, QueryError, UserError } from './errors';
import { checkConfig } from './cli/check-config';
import { createContext, type CliContext, type GlobalOptions } from './cli/context';
import { feedsExport } from './cli/feeds-export';
import { feedsImport } from './cli/feeds-import';
import { match } from './cli/match';
import { pollOnce } from './cli/poll';
import { query } from './cli/query';
import { start } from './cli/start';
import { ROLES } from './jobs/roles';
import { status } from './cli/status';
import { topicTest } from './cli/topic-test';
import { version } from '../package.json';
import type { LoadCommands } from './discord/command';

/** Exit codes: 0 ok, 1 runtime failure, 2 bad input or configuration. */
export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

// biome-ignore lint/suspicious/noExplicitAny: commander hands each action its own positional arguments
type Action = (ctx: CliContext, ...args: any[]) => Promise<number>;

function describeError(err: unknown, verbose: boolean): { message: string; code: number } {
  const stack = verbose && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  if (err instanceof ConfigError)
    return { message: `Configuration error:\n${err.message}${stack}`, code: EXIT.badInput };
  if (err instanceof QueryError)
    return { message: `${err.withCaret()}${stack}`, code: EXIT.badInput };
  if (err instanceof UserError) return { message: `${err.message}${stack}`, code: EXIT.badInput };
  if (err instanceof BriefingError)
    return { message: `${err.message}${stack}`, code: EXIT.failure };
  const message = err instanceof Error ? err.message : String(err);
  return {
    message: `Unexpected error: ${message}${stack || ' (run with --verbose for details)'}`,
    code: EXIT.failure,
  };
}

function buildProgram(
  run: (action: Action, args: unknown[], command: Command) => Promise<void>,
): Command {
  const program = new Command('briefing')
    .description(
      'Watches news feeds for the topics a community follows and briefs its Discord channels.',
    )
    .addOption(
      new Option('--config <dir>', 'directory holding feeds.yaml and topics.yaml').default(
        './config',
      ),
    )
    .option('--json', 'print data as JSON (one object per line)')
    .option('--verbose', 'debug logging, and stack traces on errors')
    .version(version, '-V, --version', 'print the version and exit')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      writeOut: (s) => process.stdout.write(s),
    })
    .exitOverride();

  const wire = (command: Command, action: Action) =>
    command.action((...args: unknown[]) => run(action, args.slice(0, -1), args.at(-1) as Command));

  wire(
    program
      .command('start')
      .description(
        'run the bot: polls feeds on schedule and posts briefings (prints them without DISCORD_TOKEN)',
      )
      .option(
        '--standby',
        'if another instance is active on the store, wait and take over when it stops (instead of exiting 2)',
      )
      .addOption(
        new Option(
          '--role <role>',
          'all: one process does everything; worker: polls feeds from the job queue (any number); bot: the Discord gateway and the one sender (others wait as standbys)',
        )
          .choices(ROLES)
          .default('all'),
      ),
    start,
  );
  wire(
    program
      .command('poll')
      .description('poll every feed now, print new briefings, and exit')
      .requiredOption('--once', 'poll one round and exit (the only mode of this command)'),
    pollOnce,
  );
  wire(
    program
      .command('check-config')
      .description('validate the environment and the config files, and exit'),
    checkConfig,
  );
  wire(
    program
      .command('status')
      .description(
        'how the bot is doing, from the store: failing feeds, backlog, last poll (works while it runs)',
      ),
    status,
  );
  wire(
    program
      .command('deploy-commands')
      .description(
        'register the slash commands with Discord (one bulk overwrite; needs DISCORD_TOKEN)',
      )
      .option('--guild <id>', 'register in one server only (shows at once; for testing)'),
    // discord.js is loaded only by the commands that talk to Discord.
    async (ctx, options) => (await import('./cli/deploy-commands')).deployCommands(ctx, options),
  );
  wire(
    program
      .command('match')
      .description('show which topics every item of a feed matches, with scores and why')
      .argument('<feed>', 'a feed file path or an http(s) URL')
      .option('--topics <file>', 'topics file to use instead of <config>/topics.yaml')
      .option('--explain', 'list every hit: term, field and group'),
    match,
  );
  const collect = (value: string, previous: string[]) => [...previous, value];
  wire(
    program
      .command('query')
      .description(
        'archived stories, newest first: by topic, feed, time and words. A story is listed once, where its newest matching item stands, headed by its first source, with how many sources it has, when it was first seen and each source (--json: one object per story with all its sources). --items lists single items instead. The count and next-page cursor go to stderr',
      )
      .option(
        '--topic <id>',
        'items that matched this topic (repeat for any of several)',
        collect,
        [],
      )
      .option('--feed <id>', 'items from this feed (repeat for any of several)', collect, [])
      .option('--since <when>', 'a duration back from now (7d, 12h) or a date (2026-11-01)', '7d')
      .option(
        '--until <when>',
        'end of the range, excluded (a date or a duration back from now); default now',
      )
      .option(
        '--text <words>',
        'words and "quoted phrases" in titles and descriptions, all required',
      )
      .option('--limit <n>', 'stories (or items) per page, 1 to 50', '10')
      .option('--cursor <cursor>', 'the next page, as printed after the previous one')
      .option('--items', 'single items, each on its own, instead of stories'),
    query,
  );
  wire(
    program
      .command('topic')
      .description('work with topics')
      .command('test')
      .description(
        'what a topic (or a query) would have matched in the archive, with the best and borderline items',
      )
      .argument('<topic>', 'a topic id from topics.yaml, or a query to try')
      .option('--since <when>', 'a duration back from now (30d) or a date', '30d'),
    topicTest,
  );
  const feeds = program.command('feeds').description("the operator's feeds in config/feeds.yaml");
  wire(
    feeds
      .command('import')
      .description(
        'merge an OPML file (from a feed reader) into feeds.yaml; feeds already there are skipped',
      )
      .argument('<file>', 'the OPML file')
      .option('--dry-run', 'show what would be added and skipped, change nothing'),
    feedsImport,
  );
  wire(feeds.command('export').description('write the feeds as OPML to stdout'), (ctx) =>
    feedsExport(ctx),
  );
  return program;
}

/** Runs the CLI with the given arguments and returns the exit code; never throws. */
export async function main(argv: string[], loadCommands: LoadCommands): Promise<number> {
  let code: number = EXIT.ok;
  let verbose = argv.includes('--verbose');
  // An error thrown outside any command (in a timer or an event handler) would be printed by
  // Node itself, straight to the terminal and past the redactor: print it like any other failure.
  process.on('uncaughtException', (err) => {
    process.stderr.write(`${describeError(err, verbose).message}\n`);
    process.exit(EXIT.failure);
  });
  const program = buildProgram(async (action, args, command) => {
    const options = command.optsWithGlobals() as GlobalOptions;
    verbose = options.verbose ?? false;
    code = await action(createContext(options, loadCommands), ...args);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are successes; everything else commander rejects is bad input.
      return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    const { message, code: exit } = describeError(err, verbose);
    process.stderr.write(`${message}\n`);
    return exit;
  }
  return code;
}
