import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  StringSelectMenuInteraction,
} from 'discord.js';
import type { LiveCatalog } from '../catalog/live-catalog';
import type { BacktestService } from '../services/backtest';
import type { BriefingService } from '../services/briefings';
import type { FeedService } from '../services/feeds';
import type { SubscriptionService } from '../services/subscriptions';
import type { TopicService } from '../services/topics';

/** What commands may call: the services the CLI shares, and names for rendering. */
export interface Services {
  briefings: BriefingService;
  subscriptions: SubscriptionService;
  topics: TopicService;
  feeds: FeedService;
  backtest: BacktestService;
  names: Pick<LiveCatalog, 'topicName' | 'feedName'>;
}

/** One slash command: its definition, and what runs when it is used. */
export interface Command {
  data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(i: ChatInputCommandInteraction, ctx: Services): Promise<void>;
  autocomplete?(i: AutocompleteInteraction, ctx: Services): Promise<void>;
  /** Buttons whose custom id starts with `<command name>:` (e.g. /briefing's Prev and Next). */
  button?(i: ButtonInteraction, ctx: Services): Promise<void>;
  /** Select menus whose custom id starts with `<command name>:` (e.g. /briefing's sources menu). */
  select?(i: StringSelectMenuInteraction, ctx: Services): Promise<void>;
}

/** A command module that is not a Command fails here, at start, not at its first use. */
export function checkCommand(value: unknown, where: string): Command {
  const c = value as Partial<Command> | undefined;
  const problem =
    !c || typeof c !== 'object'
      ? 'exports no `command`'
      : typeof c.data?.toJSON !== 'function' || typeof c.data.name !== 'string'
        ? '`data` is not a command builder'
        : typeof c.execute !== 'function'
          ? '`execute` is not a function'
          : c.autocomplete !== undefined && typeof c.autocomplete !== 'function'
            ? '`autocomplete` is not a function'
            : c.button !== undefined && typeof c.button !== 'function'
              ? '`button` is not a function'
              : c.select !== undefined && typeof c.select !== 'function'
                ? '`select` is not a function'
                : undefined;
  if (problem) throw new Error(`Command module ${where} ${problem}`);
  return c as Command;
}

/** A command module as the entry point lists it, with the file it came from (named in errors). */
export interface CommandModule {
  command: unknown;
  where: string;
}

/**
 * Loads the slash commands. `src/` never imports `commands/`: the entry point (`main.ts`) hands
 * this in, and it is called only when Discord is used, so console mode never loads discord.js.
 */
export type LoadCommands = () => Promise<CommandModule[]>;
