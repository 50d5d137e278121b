/**
 * INTERACTION_CREATE payloads as Discord sends them for a guild-installed app. discord.js drops an
 * interaction without `entitlements` or `authorizing_integration_owners`, and a component
 * interaction without `message`, so those are always filled.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOption,
  APIBaseInteraction,
  APIChatInputApplicationCommandInteraction,
  APIInteractionDataResolved,
  APIMessage,
  APIMessageComponentButtonInteraction,
  APIMessageComponentSelectMenuInteraction,
} from 'discord-api-types/v10';
import { commandScope } from './command-routes';
import {
  channelPayload,
  DEFAULT_EVERYONE_PERMISSIONS,
  guildRoles,
  memberPayload,
  userPayload,
} from './payloads';
import type { FakeState } from './state';

export type OptionValue = string | number | boolean;

export interface InteractionActor {
  guildId: string;
  channelId: string;
  /** The invoking user. @default '100000000000000001' */
  userId?: string;
  /** The invoking member's permission bitfield. @default every permission (an administrator) */
  memberPermissions?: string;
}

export interface CommandInput extends InteractionActor {
  name: string;
  /**
   * Option values by name; their types come from the registered command when there is one,
   * else from the JS value (integer → Integer, other number → Number). Raw API options pass
   * through unchanged, subcommand nesting included.
   */
  options?: Record<string, OptionValue> | APIApplicationCommandInteractionDataOption[];
  /** Wraps record-form options in this subcommand. */
  subcommand?: string;
  /** Wraps the subcommand in this group. */
  subcommandGroup?: string;
}

export interface AutocompleteInput extends CommandInput {
  /** The option the user is typing in; its value is sent as the partial string. */
  focused: string;
}

export interface ButtonInput extends Partial<InteractionActor> {
  /** The message holding the button (e.g. `posted.message` or `handle.final()`). */
  message: APIMessage;
  customId: string;
}

export interface SelectInput extends ButtonInput {
  /** The values of the options the user chose. */
  values: string[];
}

const DEFAULT_USER_ID = '100000000000000001';
const ALL_PERMISSIONS = String(
  Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n),
);

/** The fields every guild interaction carries, whatever its type. */
type Base<T extends InteractionType> = Omit<APIBaseInteraction<T, never>, 'type' | 'data'> &
  Required<Pick<APIBaseInteraction<T, never>, 'channel' | 'channel_id' | 'guild_id' | 'member'>>;

function base<T extends InteractionType>(
  state: FakeState,
  actor: InteractionActor,
  id: string,
  token: string,
): Base<T> {
  const guild = state.guilds.find((g) => g.id === actor.guildId);
  const entry = state.channels.get(actor.channelId);
  if (!guild || !entry)
    throw new Error(`fake Discord: unknown guild ${actor.guildId} or channel ${actor.channelId}`);
  const everyone =
    guildRoles(guild).find((r) => r.id === guild.id)?.permissions ?? DEFAULT_EVERYONE_PERMISSIONS;
  const user = userPayload(actor.userId ?? DEFAULT_USER_ID, 'tester', false);
  return {
    id,
    application_id: state.applicationId,
    token,
    version: 1,
    guild_id: guild.id,
    guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
    channel_id: actor.channelId,
    channel: {
      id: actor.channelId,
      type: entry.channel.type ?? 0,
      name: entry.channel.name,
      guild_id: guild.id,
    },
    member: {
      ...memberPayload(user, [], state.timestamp()),
      user,
      permissions: actor.memberPermissions ?? ALL_PERMISSIONS,
    },
    app_permissions: everyone,
    locale: Locale.EnglishUS,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

function inferType(value: OptionValue): ApplicationCommandOptionType {
  if (typeof value === 'string') return ApplicationCommandOptionType.String;
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  return Number.isInteger(value)
    ? ApplicationCommandOptionType.Integer
    : ApplicationCommandOptionType.Number;
}

function optionsOf(
  definitions: APIApplicationCommandOption[] | undefined,
  name: string | undefined,
): APIApplicationCommandOption[] | undefined {
  const found = definitions?.find((d) => d.name === name);
  return found && 'options' in found
    ? (found.options as APIApplicationCommandOption[] | undefined)
    : undefined;
}

/** Option values from a test's plain record, typed like the registered definitions where known. */
function basicOptions(
  values: Record<string, OptionValue>,
  definitions: APIApplicationCommandOption[] | undefined,
  focused?: string,
): APIApplicationCommandInteractionDataBasicOption[] {
  return Object.entries(values).map(([name, value]) => {
    const type = definitions?.find((d) => d.name === name)?.type ?? inferType(value);
    const isFocused = name === focused;
    // The cast joins a runtime-chosen `type` with its value; Discord sends the focused value as typed text.
    return {
      name,
      type,
      value: isFocused ? String(value) : value,
      ...(isFocused ? { focused: true } : {}),
    } as APIApplicationCommandInteractionDataBasicOption;
  });
}

/** Builds the `data` of a chat input or autocomplete interaction from a test's plain input. */
function commandData(state: FakeState, input: CommandInput, focused?: string) {
  const registered = [commandScope(input.guildId), commandScope()]
    .flatMap((scope) => state.commands.get(scope) ?? [])
    .find((c) => c.name === input.name && c.type === ApplicationCommandType.ChatInput);
  let options: APIApplicationCommandInteractionDataOption[];
  if (Array.isArray(input.options)) {
    options = input.options;
  } else {
    let definitions = registered?.options;
    if (input.subcommandGroup) definitions = optionsOf(definitions, input.subcommandGroup);
    if (input.subcommand) definitions = optionsOf(definitions, input.subcommand);
    const basic = basicOptions(input.options ?? {}, definitions, focused);
    const sub = input.subcommand && [
      {
        type: ApplicationCommandOptionType.Subcommand as const,
        name: input.subcommand,
        options: basic,
      },
    ];
    options =
      sub && input.subcommandGroup
        ? [
            {
              type: ApplicationCommandOptionType.SubcommandGroup,
              name: input.subcommandGroup,
              options: sub,
            },
          ]
        : sub || basic;
  }
  const resolved = resolvedData(state, input.guildId, options);
  return {
    id: registered?.id ?? state.snowflake(),
    name: input.name,
    type: ApplicationCommandType.ChatInput as const,
    guild_id: input.guildId,
    options,
    ...(resolved ? { resolved } : {}),
  };
}

/**
 * Discord sends the objects behind channel and role options in `resolved`; discord.js reads them
 * there (`getChannel`, `getRole` return null without them).
 */
function resolvedData(
  state: FakeState,
  guildId: string,
  options: APIApplicationCommandInteractionDataOption[],
): APIInteractionDataResolved | undefined {
  const channels: NonNullable<APIInteractionDataResolved['channels']> = {};
  const roles: NonNullable<APIInteractionDataResolved['roles']> = {};
  const attachments: NonNullable<APIInteractionDataResolved['attachments']> = {};
  const guild = state.guilds.find((g) => g.id === guildId);
  const visit = (list: APIApplicationCommandInteractionDataOption[]) => {
    for (const option of list) {
      if ('options' in option && option.options)
        visit(option.options as APIApplicationCommandInteractionDataOption[]);
      if (!('value' in option)) continue;
      const value = String(option.value);
      const entry = state.channels.get(value);
      if (option.type === ApplicationCommandOptionType.Channel && entry) {
        channels[value] = {
          ...channelPayload(entry.guildId, entry.channel),
          permissions: ALL_PERMISSIONS,
        } as NonNullable<APIInteractionDataResolved['channels']>[string];
      }
      const role = guild && guildRoles(guild).find((r) => r.id === value);
      if (
        (option.type === ApplicationCommandOptionType.Role ||
          option.type === ApplicationCommandOptionType.Mentionable) &&
        role
      )
        roles[value] = role;
      const file = state.attachments.get(value);
      if (option.type === ApplicationCommandOptionType.Attachment && file)
        attachments[value] = file;
    }
  };
  visit(options);
  const out: APIInteractionDataResolved = {};
  if (Object.keys(channels).length) out.channels = channels;
  if (Object.keys(roles).length) out.roles = roles;
  if (Object.keys(attachments).length) out.attachments = attachments;
  return Object.keys(out).length ? out : undefined;
}

export function commandInteraction(
  state: FakeState,
  input: CommandInput,
  id: string,
  token: string,
): APIChatInputApplicationCommandInteraction {
  return {
    ...base(state, input, id, token),
    type: InteractionType.ApplicationCommand,
    data: commandData(state, input),
  };
}

export function autocompleteInteraction(
  state: FakeState,
  input: AutocompleteInput,
  id: string,
  token: string,
): APIApplicationCommandAutocompleteInteraction {
  const data = commandData(state, input, input.focused);
  return {
    ...base(state, input, id, token),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: data as APIApplicationCommandAutocompleteInteraction['data'],
  };
}

export function buttonInteraction(
  state: FakeState,
  input: ButtonInput,
  id: string,
  token: string,
): APIMessageComponentButtonInteraction {
  const channelId = input.channelId ?? input.message.channel_id;
  const guildId = input.guildId ?? state.channels.get(channelId)?.guildId ?? '';
  return {
    ...base(state, { ...input, guildId, channelId }, id, token),
    type: InteractionType.MessageComponent,
    message: input.message,
    data: { custom_id: input.customId, component_type: ComponentType.Button },
  };
}

/** A string select menu's choice, as Discord sends it when the user picks options. */
export function selectInteraction(
  state: FakeState,
  input: SelectInput,
  id: string,
  token: string,
): APIMessageComponentSelectMenuInteraction {
  const channelId = input.channelId ?? input.message.channel_id;
  const guildId = input.guildId ?? state.channels.get(channelId)?.guildId ?? '';
  return {
    ...base(state, { ...input, guildId, channelId }, id, token),
    type: InteractionType.MessageComponent,
    message: input.message,
    data: {
      custom_id: input.customId,
      component_type: ComponentType.StringSelect,
      values: input.values,
    },
  };
}
