/**
 * Everything the fake remembers, plus one "something changed" signal that every wait helper
 * listens to, so tests wait for events instead of polling or sleeping.
 */
import { EventEmitter } from 'node:events';
import type {
  APIAttachment,
  APIApplicationCommand,
  APIGuildForumTag,
  APIUser,
  RESTPostAPIChannelMessageJSONBody,
  APIMessage,
} from 'discord-api-types/v10';
import { userPayload } from './payloads';
import type { FakeChannelConfig, FakeGuildConfig } from './payloads';

/** Milliseconds since the epoch; injected so tests can move past the 3 s interaction deadline. */
export type Clock = () => number;

export interface PostedMessage {
  id: string;
  channelId: string;
  /** The JSON body exactly as the client sent it (embeds, nonce, enforce_nonce, allowed_mentions...). */
  body: RESTPostAPIChannelMessageJSONBody;
  /** Names of uploaded files, for multipart posts. */
  files: string[];
  /** The message object the fake answered with. */
  message: APIMessage;
  /** For webhook messages: the name and avatar URL the message was executed with. */
  identity?: { username: string; avatarUrl?: string };
  /** Bodies of the edits (PATCH of the channel message or the webhook message), in order (`message` shows their sum). */
  edits?: unknown[];
}

/** A thread: a forum post, or a thread opened on a message (then `starterMessageId` is that message). */
export interface FakeThread {
  id: string;
  guildId: string;
  parentId: string;
  name: string;
  autoArchiveDuration: number;
  appliedTags: string[];
  starterMessageId?: string;
  /** ISO time the thread was created (its `thread_metadata.create_timestamp`). */
  createdAt: string;
}

/** A channel webhook; `applicationId` is set when a bot created it. */
export interface FakeWebhook {
  id: string;
  token: string;
  channelId: string;
  guildId: string;
  name: string;
  avatar: string | null;
  applicationId: string | null;
}

/** A multipart file as the fake received it: its name and its text. */
export interface Upload {
  name: string;
  text: string;
}

export interface RecordedRequest {
  method: string;
  /** Path below the API version, e.g. `/channels/123/messages`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  files: string[];
  /** The uploaded files' contents, in the order of `files`. */
  uploads: Upload[];
  /** Status the fake answered with. */
  status: number;
}

export interface StateOptions {
  guilds: FakeGuildConfig[];
  applicationId: string;
  botUserId: string;
  now: Clock;
}

const DISCORD_EPOCH = 1_420_070_400_000n;

export class FakeState {
  readonly guilds: FakeGuildConfig[];
  readonly applicationId: string;
  readonly bot: APIUser;
  readonly now: Clock;
  /** Channel id → its guild and config. */
  readonly channels = new Map<string, { guildId: string; channel: FakeChannelConfig }>();
  readonly posted = new Map<string, PostedMessage[]>();
  /** `${channelId}:${nonce}` → the message that nonce created, for enforce_nonce replays. */
  readonly nonces = new Map<string, { message: PostedMessage; at: number }>();
  /** 'global' or a guild id → registered commands. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  readonly forbidden = new Set<string>();
  /** Files a test "uploaded" for attachment options, by attachment id. */
  readonly attachments = new Map<string, APIAttachment>();
  readonly threads = new Map<string, FakeThread>();
  /** Forum channel id → its tags, in order. */
  readonly forumTags = new Map<string, APIGuildForumTag[]>();
  readonly webhooks = new Map<string, FakeWebhook>();
  /** Announcement channel id → when each crosspost of the last hours happened. */
  readonly crosspostTimes = new Map<string, number[]>();
  /** Ids of messages already published to following servers. */
  readonly crossposted = new Set<string>();
  readonly requests: RecordedRequest[] = [];
  readonly unknownRoutes: RecordedRequest[] = [];
  readonly #changes = new EventEmitter();
  #lastId = 0n;

  constructor(options: StateOptions) {
    this.guilds = options.guilds;
    this.applicationId = options.applicationId;
    this.now = options.now;
    this.bot = userPayload(options.botUserId, 'briefing-bot', true);
    this.#changes.setMaxListeners(0);
    for (const guild of options.guilds) {
      for (const channel of guild.channels) {
        this.channels.set(channel.id, { guildId: guild.id, channel });
        if (channel.tags)
          this.forumTags.set(
            channel.id,
            channel.tags.map((name) => forumTag(this.snowflake(), name)),
          );
      }
    }
  }

  /** A fresh snowflake whose timestamp is the fake's clock; strictly increasing. */
  snowflake(): string {
    const fromClock = (BigInt(this.now()) - DISCORD_EPOCH) << 22n;
    this.#lastId = fromClock > this.#lastId ? fromClock : this.#lastId + 1n;
    return this.#lastId.toString();
  }

  /** A message posted in a channel or thread, by id. */
  findMessage(channelId: string, messageId: string): PostedMessage | undefined {
    return this.posted.get(channelId)?.find((m) => m.id === messageId);
  }

  timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  messagesIn(channelId: string): PostedMessage[] {
    let list = this.posted.get(channelId);
    if (!list) {
      list = [];
      this.posted.set(channelId, list);
    }
    return list;
  }

  /** Call after every mutation a test might be waiting for. */
  changed(): void {
    this.#changes.emit('change');
  }

  /**
   * Resolves with `probe()` as soon as it returns something other than undefined; rejects with
   * `what` in the message after `timeoutMs`, so a missing event fails the test instead of hanging.
   * A probe that throws rejects the wait with that error.
   */
  waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let value: T | undefined;
        try {
          value = probe();
        } catch (error) {
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (value !== undefined) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#changes.off('change', check);
      };
      this.#changes.on('change', check);
      check();
    });
  }
}

export function forumTag(id: string, name: string): APIGuildForumTag {
  return { id, name, moderated: false, emoji_id: null, emoji_name: null };
}
