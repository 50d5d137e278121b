/**
 * The bot as `npm start` runs it with DISCORD_TOKEN — built by createApp, its real discord.js
 * client logged in — against the fake Discord, with a real feed server and a real SQLite file.
 * Time is a manual clock handed to the app, so digests and rechecks need no waiting; the worker
 * is driven with `poll()` (one round, then a drain) instead of its timer.
 *
 * ```ts
 * const bot = await BotHarness.start({ feeds: [{ id: 'news', path: '/news.xml' }], topicsYaml });
 * bot.server.setRoute('/news.xml', { body: rss([...]) });
 * await bot.poll();                                   // first sight: archived, not posted
 * await bot.reply({ name: 'subscribe', options: { topic: 'energy' } });
 * ```
 */
import { loadCommands } from '../../main';
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { APIMessage } from 'discord-api-types/v10';
import type { App } from '../../src/app';
import type { Role } from '../../src/jobs/roles';
import type { CliContext } from '../../src/cli/context';
import { deployCommands } from '../../src/cli/deploy-commands';
import { parseEnv } from '../../src/config/env';
import { AppHarness, type HarnessFeed } from './app-harness';
import {
  startFakeDiscord,
  type CommandInput,
  type FakeDiscord,
  type FakeGuildConfig,
  type InteractionHandle,
} from './fake-discord';
import { startFeedServer, type FeedServer } from './feed-server';
import { SURFACE_GUILD, SURFACE_GUILDS } from './surface-guild';

export const GUILD = '300000000000000001';
export const NEWS = '300000000000000010';
export const OTHER = '300000000000000011';
export const SYSTEM = '300000000000000012';
export const ROLE = '300000000000000050';
export const GUILD_B = '300000000000000002';
export const B_NEWS = '300000000000000020';
export const GUILD_C = '300000000000000003';
/** A channel of GUILD_C, where @everyone (and so the bot) may not embed links. */
export const C_NEWS = '300000000000000030';
export const ADMIN = '100000000000000001';
/** Distinctive, so a test can prove it never reaches a log line. */
export const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.fake-discord-bot-token-never-logged';

export const GUILDS: FakeGuildConfig[] = [
  {
    id: GUILD,
    name: 'Briefing Test Guild',
    systemChannelId: SYSTEM,
    roles: [{ id: ROLE, name: 'news-watchers' }],
    channels: [
      { id: NEWS, name: 'news', type: ChannelType.GuildText },
      { id: OTHER, name: 'other', type: ChannelType.GuildText },
      { id: SYSTEM, name: 'general', type: ChannelType.GuildText },
    ],
  },
  {
    id: GUILD_B,
    name: 'Second Guild',
    channels: [{ id: B_NEWS, name: 'b-news', type: ChannelType.GuildText }],
  },
  {
    id: GUILD_C,
    name: 'Strict Guild',
    roles: [
      {
        id: GUILD_C,
        name: '@everyone',
        permissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages),
      },
    ],
    channels: [{ id: C_NEWS, name: 'c-news', type: ChannelType.GuildText }],
  },
];

export const ENERGY_TOPICS = `
groups:
  fuels: [gas, oil, coal]
topics:
  - id: energy
    name: Energy
    query: "@fuels OR pipeline"
  - id: water
    name: Water
    query: "water OR river"
`;

export interface BotHarnessOptions {
  /** Operator feeds, served by the feed server at `path`. */
  feeds?: Array<Omit<HarnessFeed, 'url'> & { path: string }>;
  topicsYaml?: string;
  env?: Record<string, string>;
  /** @default now */
  startAt?: number;
  /** Also join the guild of forum, announcement and locked channels (surface-guild.ts). */
  surfaces?: boolean;
  /**
   * The fake Discord keeps time by the test's clock too (its hourly crosspost limit, nonce memory,
   * interaction deadlines). @default false: the fake uses the real clock
   */
  sharedClock?: boolean;
  /** The app's role (`start --role`). @default 'all' */
  role?: Role;
}

/** A clock the test moves by hand. */
export interface ManualClock {
  now(): Date;
  advance(ms: number): void;
  set(ms: number): void;
}

function manualClock(start: number): ManualClock {
  let at = start;
  return { now: () => new Date(at), advance: (ms) => void (at += ms), set: (ms) => void (at = ms) };
}

export class BotHarness {
  private constructor(
    readonly fake: FakeDiscord,
    readonly server: FeedServer,
    readonly files: AppHarness,
    readonly clock: ManualClock,
  ) {}

  static async start(options: BotHarnessOptions = {}): Promise<BotHarness> {
    const clock = manualClock(options.startAt ?? Date.now());
    const fake = await startFakeDiscord({
      guilds: options.surfaces ? [...GUILDS, ...SURFACE_GUILDS] : GUILDS,
      token: TOKEN,
      ...(options.sharedClock ? { now: () => clock.now().getTime() } : {}),
    });
    const server = await startFeedServer({});
    const feeds = (options.feeds ?? []).map(({ path, ...f }) => ({ ...f, url: server.url(path) }));
    const files = await AppHarness.create(feeds, options.topicsYaml ?? ENERGY_TOPICS);
    const harness = new BotHarness(fake, server, files, clock);
    harness.env = options.env ?? {};
    harness.role = options.role;
    // Registering first gives the fake the option types (channel, role, integer) of every command.
    await deployCommands(harness.cliContext(), { guild: GUILD });
    await deployCommands(harness.cliContext(), { guild: GUILD_B });
    await deployCommands(harness.cliContext(), { guild: GUILD_C });
    if (options.surfaces) await deployCommands(harness.cliContext(), { guild: SURFACE_GUILD });
    await harness.open();
    return harness;
  }

  private env: Record<string, string> = {};
  private role: Role | undefined;

  private async open(): Promise<void> {
    const app = await this.files.open(
      { clock: this.clock.now, role: this.role },
      { ...this.envVars(), ...this.env },
    );
    await app.discord!.bot.login();
  }

  /** Stops the bot and starts it again on the same store and config: nothing in memory survives. */
  async restart(): Promise<void> {
    await this.files.close();
    await this.open();
  }

  get app(): App {
    return this.files.app!;
  }

  get logLines(): string[] {
    return this.files.logger.lines;
  }

  envVars(): Record<string, string> {
    return { DISCORD_TOKEN: this.fake.token, DISCORD_API_URL: this.fake.apiUrl };
  }

  /** What `briefing <command>` gets from the CLI, pointed at the fake. */
  cliContext(): CliContext {
    return {
      env: parseEnv(this.envVars()),
      logger: this.files.logger,
      configDir: this.files.dir,
      json: false,
      verbose: false,
      out: () => {},
      color: false,
      loadCommands,
    };
  }

  /** One worker round: poll every feed, then drain the outbox. */
  poll() {
    return this.app.worker.pollOnce();
  }

  /** Starts a slash command as an admin in #news (unless told otherwise). */
  command(input: Partial<CommandInput> & Pick<CommandInput, 'name'>): Promise<InteractionHandle> {
    return this.fake.interact.command({ guildId: GUILD, channelId: NEWS, userId: ADMIN, ...input });
  }

  /** Runs a command that defers, and returns the message the user ends up seeing. */
  async reply(input: Partial<CommandInput> & Pick<CommandInput, 'name'>): Promise<APIMessage> {
    const handle = await this.command(input);
    await handle.waitForEdit();
    return handle.final()!;
  }

  async close(): Promise<void> {
    await this.files.dispose();
    await this.fake.close();
    await this.server.close();
  }
}

/** Everything a message shows as text: content, embed titles, descriptions, fields and footers. */
export function textOf(message: Pick<APIMessage, 'content' | 'embeds'> | undefined): string {
  if (!message) return '';
  const embeds = (message.embeds ?? []).flatMap((e) => [
    e.title,
    e.description,
    ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    e.footer?.text,
  ]);
  return [message.content, ...embeds].filter(Boolean).join('\n');
}
