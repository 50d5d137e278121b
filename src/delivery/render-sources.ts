import type { APIEmbed } from 'discord-api-types/v10';
import { oneLine } from './briefing';
import { clip, DISCORD_LIMITS, embedLength } from './discord-limits';
import { escapeMarkdown, neutraliseMentions } from './escape-markdown';
import type { DiscordMessage } from './render-discord';

export const SOURCES_FIELD = 'Also reported by';

/**
 * The message with its first embed listing the story's other sources ("Kazinform · UN News ·
 * +3") in a field of its own, replacing any earlier list. The description gives up what the
 * field needs, so the embed stays within Discord's 6000-character total however long the list.
 */
export function withSources(message: DiscordMessage, others: string | undefined): DiscordMessage {
  const [first, ...rest] = message.embeds ?? [];
  if (!first || others === undefined) return message;
  const value = clip(
    neutraliseMentions(escapeMarkdown(oneLine(others))),
    DISCORD_LIMITS.fieldValue,
  );
  const fields = [
    ...(first.fields ?? []).filter((f) => f.name !== SOURCES_FIELD),
    { name: SOURCES_FIELD, value },
  ];
  const embed: APIEmbed = { ...first, fields };
  const over = embedLength(embed) - DISCORD_LIMITS.embedTotal;
  if (over > 0 && embed.description)
    embed.description = clip(embed.description, Math.max(0, embed.description.length - over));
  return { ...message, embeds: [embed, ...rest] };
}
