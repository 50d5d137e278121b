import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors';
import { type SubscribeRequest, surfaceFields } from '../../../src/services/subscriptions';

const base: SubscribeRequest = {
  guildId: '300000000000000001',
  channelId: '300000000000000010',
  topic: 'energy',
};
const fields = (over: Partial<SubscribeRequest>, mode = 'instant') =>
  surfaceFields({ ...base, ...over }, mode);

describe('the surface options of /subscribe', () => {
  it.each([
    [{}, {}],
    [{ layout: 'card' }, {}],
    [{ layout: 'headline' }, { layout: 'headline' }],
    [{ channelKind: 'forum' as const }, { forum: true }],
    [{ thread: true }, { threadArchiveMinutes: 4320 }],
    [{ thread: true, autoArchiveMinutes: 10080 }, { threadArchiveMinutes: 10080 }],
    [{ publish: true, channelKind: 'announcement' as const }, { publish: true }],
    [{ webhookName: '  Energy desk ' }, { webhook: { name: 'Energy desk' } }],
    [
      { avatarUrl: 'https://cdn.example.org/desk.png' },
      { webhook: { avatarUrl: 'https://cdn.example.org/desk.png' } },
    ],
  ])('%o is stored as %o', (over, expected) => {
    expect(fields(over)).toEqual(expected);
  });

  it.each([
    [{ layout: 'fancy' }, 'instant', '`layout` is one of card, compact, headline'],
    [{ autoArchiveMinutes: 60 }, 'instant', '`auto_archive` needs `thread: true`'],
    [{ thread: true, autoArchiveMinutes: 90 }, 'instant', '60, 1440, 4320, 10080'],
    [{ thread: true }, 'digest', 'instant briefings only'],
    [{ publish: true }, 'instant', 'needs an announcement channel'],
    [{ channelKind: 'forum' as const }, 'digest', 'instant briefings only'],
    [{ channelKind: 'forum' as const, thread: true }, 'instant', 'already its own post'],
    [{ webhookName: 'Clyde' }, 'instant', 'may not contain "clyde"'],
    [{ webhookName: 'x'.repeat(81) }, 'instant', '1 to 80 characters'],
    [{ avatarUrl: 'http://cdn.example.org/a.png' }, 'instant', 'must use https'],
    [{ avatarUrl: 'https://user:pw@cdn.example.org/a.png' }, 'instant', 'without a user name'],
    [{ webhookName: 'Desk', thread: true }, 'instant', 'cannot be combined'],
  ])('%o (%s) is refused: %s', (over, mode, message) => {
    expect(() => fields(over, mode)).toThrow(UserError);
    expect(() => fields(over, mode)).toThrow(message);
  });
});
