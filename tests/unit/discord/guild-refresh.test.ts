import { describe, expect, it, vi } from 'vitest';
import { guildRefresher } from '../../../src/discord/guild-refresh';
import type { GuildCatalogEntry } from '../../../src/store/guild-catalog';

const feed = (id: string) => ({
  id,
  url: `https://news.example/${id}.xml`,
  name: `News ${id}`,
  addedBy: '1',
  addedAt: '2026-12-01T00:00:00.000Z',
});

describe('guildRefresher', () => {
  it('applies new and changed guilds, leaves unchanged ones, and empties guilds that are gone', async () => {
    let entries: GuildCatalogEntry[] = [
      { guildId: 'g1', topics: [], feeds: [feed('a')] },
      { guildId: 'g2', topics: [], feeds: [feed('b')] },
    ];
    const setGuild = vi.fn();
    const refresh = guildRefresher({ all: async () => entries }, { setGuild });

    await refresh();
    expect(setGuild.mock.calls.map((c) => c[0])).toEqual(['g1', 'g2']);

    setGuild.mockClear();
    await refresh();
    expect(setGuild).not.toHaveBeenCalled();

    entries = [{ guildId: 'g1', topics: [], feeds: [feed('a'), feed('c')] }];
    await refresh();
    expect(setGuild.mock.calls).toEqual([
      ['g1', entries[0]],
      ['g2', { topics: [], feeds: [] }],
    ]);
  });
});
