/**
 * Application command registration, global and per guild, validated on the way in like Discord
 * does at deploy time (name pattern, lengths, option and choice counts, 8000-character total).
 */
import { ApplicationCommandType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { bulkCommandErrors, commandErrors } from './limits';
import { apiError, formError, json } from './responses';
import type { FakeResponse } from './responses';
import type { RouteRequest, Router } from './router';
import type { FakeState } from './state';

const GLOBAL = 'global';

/** Scope key for `state.commands`: the guild id, or 'global'. */
export const commandScope = (guildId?: string): string => guildId ?? GLOBAL;

function stored(
  state: FakeState,
  body: RESTPostAPIApplicationCommandsJSONBody,
  guildId: string | undefined,
  existing: APIApplicationCommand[],
): APIApplicationCommand {
  const type = body.type ?? ApplicationCommandType.ChatInput;
  // Discord keeps a command's id when an overwrite re-sends the same name and type.
  const same = existing.find((c) => c.name === body.name && c.type === type);
  return {
    ...body,
    id: same?.id ?? state.snowflake(),
    application_id: state.applicationId,
    type,
    description: 'description' in body && body.description !== undefined ? body.description : '',
    default_member_permissions: body.default_member_permissions ?? null,
    version: state.snowflake(),
    ...(guildId === undefined ? {} : { guild_id: guildId }),
  } as APIApplicationCommand;
}

export function registerCommandRoutes(router: Router, state: FakeState): void {
  const scoped = (
    request: RouteRequest,
    answer: (guildId: string | undefined) => FakeResponse,
  ): FakeResponse => {
    const { applicationId, guildId } = request.params;
    if (applicationId !== state.applicationId)
      return apiError(404, RESTJSONErrorCodes.UnknownApplication);
    if (guildId !== undefined && !state.guilds.some((g) => g.id === guildId))
      return apiError(404, RESTJSONErrorCodes.UnknownGuild);
    return answer(guildId);
  };

  const list = (request: RouteRequest) =>
    scoped(request, (guildId) => json(200, state.commands.get(commandScope(guildId)) ?? []));

  const overwrite = (request: RouteRequest) =>
    scoped(request, (guildId) => {
      const errors = bulkCommandErrors(request.body);
      if (!Array.isArray(request.body) || !errors.empty) return formError(errors.tree);
      const existing = state.commands.get(commandScope(guildId)) ?? [];
      const bodies = request.body as RESTPostAPIApplicationCommandsJSONBody[];
      const commands = bodies.map((body) => stored(state, body, guildId, existing));
      state.commands.set(commandScope(guildId), commands);
      state.changed();
      return json(200, commands);
    });

  const create = (request: RouteRequest) =>
    scoped(request, (guildId) => {
      const errors = commandErrors(request.body);
      if (!errors.empty) return formError(errors.tree);
      const existing = state.commands.get(commandScope(guildId)) ?? [];
      const command = stored(
        state,
        request.body as RESTPostAPIApplicationCommandsJSONBody,
        guildId,
        existing,
      );
      const isNew = !existing.some((c) => c.id === command.id);
      state.commands.set(commandScope(guildId), [
        ...existing.filter((c) => c.id !== command.id),
        command,
      ]);
      state.changed();
      return json(isNew ? 201 : 200, command);
    });

  router
    .add('GET /applications/:applicationId/commands', list)
    .add('PUT /applications/:applicationId/commands', overwrite)
    .add('POST /applications/:applicationId/commands', create)
    .add('GET /applications/:applicationId/guilds/:guildId/commands', list)
    .add('PUT /applications/:applicationId/guilds/:guildId/commands', overwrite)
    .add('POST /applications/:applicationId/guilds/:guildId/commands', create);
}
