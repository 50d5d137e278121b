/**
 * Rewriting a briefing already posted (a story's post, to list its later sources), the way it was
 * posted: the bot's own message over the channel route, a webhook's message through that webhook,
 * which alone may edit it. An edit is the same whenever it is repeated, so it needs no nonce.
 */
import { type REST, Routes } from 'discord.js';
import type { DiscordMessage } from '../delivery/render-discord';
import { classifyPostError, type EditResult, editMessage } from './post-message';
import { isPermissionRefusal } from './surface-pause';
import { ownWebhook, type WebhookCredentials } from './webhook-identity';

/** A briefing's message as posted, to be edited when its story gains sources. */
export interface PostedBriefing {
  channelId: string;
  messageId: string;
  message: DiscordMessage;
  /** The webhook that posted it (never its token: that stays in memory). */
  webhookId?: string;
}

/**
 * The editor of posted briefings. `webhooks` is the poster's in-memory webhook per channel; after
 * a restart the bot's own webhook is found again in Discord. A webhook deleted or replaced since
 * the post cannot edit it: that is `gone`, as is a bot no longer allowed to look its webhook up.
 */
export function createPostEditor(
  rest: REST,
  webhooks: Map<string, WebhookCredentials>,
  applicationId: () => string,
) {
  return async function edit(
    posted: PostedBriefing,
    message: DiscordMessage,
    attempts: number,
  ): Promise<EditResult> {
    const { channelId, messageId, webhookId } = posted;
    if (!webhookId)
      return editMessage(
        rest,
        { route: Routes.channelMessage(channelId, messageId) },
        message,
        attempts,
      );
    let hook = webhooks.get(channelId);
    if (hook?.id !== webhookId) {
      try {
        hook = await ownWebhook(rest, channelId, applicationId());
      } catch (err) {
        if (isPermissionRefusal(err))
          return { kind: 'gone', reason: 'the bot may no longer manage webhooks here' };
        return classifyPostError(err, attempts);
      }
      if (hook?.id !== webhookId)
        return { kind: 'gone', reason: 'the webhook that posted it was deleted' };
      webhooks.set(channelId, hook);
    }
    return editMessage(
      rest,
      { route: hook.messageRoute(messageId), webhook: hook },
      message,
      attempts,
    );
  };
}
