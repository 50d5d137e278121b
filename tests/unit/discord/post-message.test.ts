import { DiscordAPIError, HTTPError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { classifyPostError, retryDelay } from '../../../src/discord/post-message';

const apiError = (status: number, code: number) =>
  new DiscordAPIError(
    { code, message: 'm' },
    code,
    status,
    'POST',
    'https://discord.com/api/v10/channels/1/messages',
    { body: undefined, files: undefined },
  );

describe('what a failed post means for its delivery', () => {
  it.each([
    {
      what: '403 Missing Access',
      err: apiError(403, 50001),
      kind: 'paused',
      reason: 'Missing Access (50001)',
    },
    {
      what: '403 Missing Permissions',
      err: apiError(403, 50013),
      kind: 'paused',
      reason: 'Missing Permissions (50013)',
    },
    {
      what: '404 Unknown Channel',
      err: apiError(404, 10003),
      kind: 'paused',
      reason: 'Unknown Channel (10003)',
    },
    { what: '400 Invalid Form Body', err: apiError(400, 50035), kind: 'dropped' },
    { what: '404 Unknown Message', err: apiError(404, 10008), kind: 'dropped' },
    {
      what: '502 after discord.js gave up',
      err: new HTTPError(502, 'Bad Gateway', 'POST', 'u', { body: undefined, files: undefined }),
      kind: 'retry',
    },
    { what: 'a network error', err: new TypeError('fetch failed'), kind: 'retry' },
  ])('$what → $kind', ({ err, kind, reason }) => {
    const result = classifyPostError(err, 0);
    expect(result.kind).toBe(kind);
    if (reason) expect(result).toMatchObject({ reason });
  });

  it('backs off from 30 seconds, doubling, to at most an hour', () => {
    expect([0, 1, 2, 7, 20].map(retryDelay)).toEqual([
      30_000, 60_000, 120_000, 3_600_000, 3_600_000,
    ]);
  });
});
