/**
 * The bot's permissions in a channel, computed as Discord does for a member: @everyone plus the
 * bot's roles, everything for an Administrator, then the channel's @everyone overwrite (`deny`).
 * Threads answer with their parent's permissions. Routes call `refuseWithout` with what the
 * endpoint needs, and get Discord's 403 50013 when something is missing.
 */
import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { guildRoles } from './payloads';
import { apiError } from './responses';
import type { FakeResponse } from './responses';
import type { FakeState } from './state';

const ALL = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

export function botPermissions(state: FakeState, channelId: string): bigint {
  const thread = state.threads.get(channelId);
  const entry = state.channels.get(thread?.parentId ?? channelId);
  const guild = state.guilds.find((g) => g.id === entry?.guildId);
  if (!entry || !guild) return 0n;
  const held = new Set([guild.id, ...(guild.botRoleIds ?? [])]);
  const base = guildRoles(guild)
    .filter((role) => held.has(role.id))
    .reduce((bits, role) => bits | BigInt(role.permissions), 0n);
  if (base & PermissionFlagsBits.Administrator) return ALL;
  return base & ~BigInt(entry.channel.deny ?? '0');
}

/** 403 Missing Permissions unless the bot holds every one of `bits` in the channel. */
export function refuseWithout(
  state: FakeState,
  channelId: string,
  ...bits: bigint[]
): FakeResponse | undefined {
  const have = botPermissions(state, channelId);
  return bits.every((bit) => (have & bit) === bit)
    ? undefined
    : apiError(403, RESTJSONErrorCodes.MissingPermissions);
}
