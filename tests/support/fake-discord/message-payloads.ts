/**
 * Message objects as Discord returns them for a create or an edit; discord.js builds its Message
 * from these, so every field it reads is present.
 */
import { MessageType } from 'discord-api-types/v10';
import type { APIEmbed, APIMessage, APIUser } from 'discord-api-types/v10';

/** The part of a message a bot controls, from any of the create/edit/reply bodies. */
export interface MessageContent {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessage['components'];
  flags?: number;
  nonce?: string | number;
}

export interface MessageMeta {
  id: string;
  channelId: string;
  author: APIUser;
  timestamp: string;
  applicationId?: string;
  webhookId?: string;
  /** Names of the files uploaded with the message. */
  files?: string[];
}

export function messagePayload(meta: MessageMeta, body: MessageContent): APIMessage {
  return {
    id: meta.id,
    channel_id: meta.channelId,
    author: meta.author,
    content: body.content ?? '',
    timestamp: meta.timestamp,
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: (meta.files ?? []).map((filename, i) => ({
      id: `${meta.id}${i}`,
      filename,
      size: 0,
      url: `https://cdn.fake.invalid/attachments/${meta.channelId}/${meta.id}/${filename}`,
      proxy_url: `https://media.fake.invalid/attachments/${meta.channelId}/${meta.id}/${filename}`,
    })),
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    pinned: false,
    type: MessageType.Default,
    flags: body.flags ?? 0,
    ...(body.nonce === undefined ? {} : { nonce: body.nonce }),
    ...(meta.applicationId === undefined ? {} : { application_id: meta.applicationId }),
    ...(meta.webhookId === undefined ? {} : { webhook_id: meta.webhookId }),
  };
}

/** Applies an edit body the way Discord does: fields present in the edit replace the old ones. */
export function editedMessage(
  message: APIMessage,
  edit: MessageContent,
  timestamp: string,
): APIMessage {
  return {
    ...message,
    ...(edit.content === undefined ? {} : { content: edit.content ?? '' }),
    ...(edit.embeds === undefined ? {} : { embeds: edit.embeds ?? [] }),
    ...(edit.components === undefined ? {} : { components: edit.components ?? [] }),
    ...(edit.flags === undefined ? {} : { flags: edit.flags }),
    edited_timestamp: timestamp,
  };
}
