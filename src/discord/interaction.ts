import { randomBytes } from 'node:crypto';
import {
  MessageFlags,
  type APIApplicationCommandOptionChoice,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import { QueryError, UserError } from '../errors';
import type { Logger } from '../log';
import { oneLine } from '../delivery/briefing';
import { clip } from '../delivery/discord-limits';
import type { TopicEntry } from '../catalog/live-catalog';
import { textReply } from './render/reply';

/**
 * Answers a failed interaction. Only a UserError's text reaches the user; anything else shows a
 * short reference and is logged once, with fixed keys, under the same reference.
 */
export async function replyError(
  i: RepliableInteraction,
  err: unknown,
  logger: Logger,
  command: string,
): Promise<void> {
  let text: string;
  if (err instanceof UserError) {
    text = err.message;
  } else if (err instanceof QueryError) {
    // Backticks would end the code block; a look-alike keeps the caret line aligned.
    text = `That query does not work:\n\`\`\`\n${err.withCaret().replace(/`/g, 'ˋ')}\n\`\`\``;
  } else {
    const ref = randomBytes(2).toString('hex');
    logger.error('command failed', {
      ref,
      guildId: i.guildId ?? undefined,
      command,
      error: err,
      stack: err instanceof Error ? err.stack : undefined,
    });
    text = `Something went wrong (ref ${ref}).`;
  }
  const reply = textReply(text);
  try {
    // A button's message stays as it was; the error goes to the one who pressed it.
    if (i.isMessageComponent() && (i.deferred || i.replied))
      await i.followUp({ ...reply, flags: MessageFlags.Ephemeral });
    else if (i.deferred || i.replied) await i.editReply(reply);
    else await i.reply({ ...reply, flags: MessageFlags.Ephemeral });
  } catch (answerErr) {
    // The interaction may have expired; the user sees Discord's own failure then.
    logger.warn('could not answer the interaction', {
      guildId: i.guildId ?? undefined,
      command,
      error: answerErr,
    });
  }
}

/** Ephemeral flags for replies only the user should see. */
export const privateIf = (isPrivate: boolean) => (isPrivate ? MessageFlags.Ephemeral : undefined);

/** The guild an interaction came from; every command is declared guild-only, this is the guard. */
export function guildOf(i: Interaction): string {
  if (!i.guildId) throw new UserError('This command works in a server only.');
  return i.guildId;
}

/** Autocomplete choices for topics: "id — Name", the id as the value. */
export function topicChoices(topics: TopicEntry[]): APIApplicationCommandOptionChoice<string>[] {
  return topics.slice(0, 25).map((t) => ({
    name: clip(oneLine(`${t.id} — ${t.def.name}`), 100) || t.id.slice(0, 100),
    value: t.id.slice(0, 100),
  }));
}
