/**
 * Publishing a message of an announcement channel to the servers that follow it. Discord allows
 * 10 crossposts per channel per hour and answers the 11th with a 429 whose retry_after runs until
 * the oldest of the ten is an hour old. The bot's own messages need Send Messages, anyone else's
 * Manage Messages; a message is published once (40033), and only in announcement channels (50024).
 */
import {
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { refuseWithout } from './permissions';
import { bucketOf } from './rest-pipeline';
import { apiError, json, rateLimited } from './responses';
import type { FakeResponse } from './responses';
import type { RouteRequest, Router } from './router';
import type { FakeState } from './state';

export const CROSSPOSTS_PER_HOUR = 10;
const HOUR_MS = 3_600_000;
const ROUTE = 'POST /channels/:channelId/messages/:messageId/crosspost';

function crosspost(state: FakeState, request: RouteRequest): FakeResponse {
  const { channelId = '', messageId = '' } = request.params;
  const entry = state.channels.get(channelId);
  if (!entry) return apiError(404, RESTJSONErrorCodes.UnknownChannel);
  if (entry.channel.type !== ChannelType.GuildAnnouncement)
    return apiError(400, RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  const posted = state.findMessage(channelId, messageId);
  if (!posted) return apiError(404, RESTJSONErrorCodes.UnknownMessage);
  const own = posted.message.author.id === state.bot.id && !posted.message.webhook_id;
  const refused = refuseWithout(
    state,
    channelId,
    own ? PermissionFlagsBits.SendMessages : PermissionFlagsBits.ManageMessages,
  );
  if (refused) return refused;
  if (state.crossposted.has(messageId))
    return apiError(400, RESTJSONErrorCodes.ThisMessageWasAlreadyCrossposted);

  const now = state.now();
  const recent = (state.crosspostTimes.get(channelId) ?? []).filter((t) => now - t < HOUR_MS);
  state.crosspostTimes.set(channelId, recent);
  if (recent.length >= CROSSPOSTS_PER_HOUR) {
    const waitSeconds = (recent[0]! + HOUR_MS - now) / 1000;
    return rateLimited(waitSeconds, false, bucketOf('POST', ROUTE.split(' ')[1]!), {
      size: CROSSPOSTS_PER_HOUR,
      scope: 'shared',
    });
  }
  recent.push(now);
  state.crossposted.add(messageId);
  posted.message = {
    ...posted.message,
    flags: (posted.message.flags ?? 0) | MessageFlags.Crossposted,
  };
  state.changed();
  return json(200, posted.message);
}

export function registerCrosspostRoutes(router: Router, state: FakeState): void {
  router.add(ROUTE, (request) => crosspost(state, request));
}
