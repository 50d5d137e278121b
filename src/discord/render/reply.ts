import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
} from 'discord-api-types/v10';
import { clip, DISCORD_LIMITS, messageProblems } from '../../delivery/discord-limits';

/** What a command answers with: content and embeds, never a ping. */
export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: Array<APIActionRowComponent<APIComponentInMessageActionRow>>;
  allowedMentions: { parse: [] };
}

/** A plain-text reply, clipped to Discord's content limit. */
export function textReply(text: string): Reply {
  return {
    content: clip(text, DISCORD_LIMITS.content),
    embeds: [],
    components: [],
    allowedMentions: { parse: [] },
  };
}

/** Every way Discord would refuse this reply (the renderers' tests hold them to it). */
export function replyProblems(reply: Reply): string[] {
  return messageProblems({
    content: reply.content,
    embeds: reply.embeds,
    allowed_mentions: { parse: [] },
  });
}

/** Lines packed into a text within `max`, the rest summarised as "+N more". */
export function listText(lines: string[], max: number, more = (n: number) => `+${n} more`): string {
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const tail = i < lines.length - 1 ? more(lines.length - i).length + 1 : 0;
    if (used + line.length + 1 + tail > max) {
      kept.push(more(lines.length - i));
      return kept.join('\n');
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join('\n');
}
