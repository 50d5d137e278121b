import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors';
import { leaseOf, queueUrlFor } from '../../../src/jobs/roles';

describe('queueUrlFor', () => {
  it.each([
    { role: 'all', STORE_URL: 'sqlite://data/b.sqlite', QUEUE_URL: undefined, url: undefined },
    {
      role: 'worker',
      STORE_URL: 'redis://r:6379/2',
      QUEUE_URL: undefined,
      url: 'redis://r:6379/2',
    },
    {
      role: 'bot',
      STORE_URL: 'postgres://p/db',
      QUEUE_URL: 'redis://q:6379',
      url: 'redis://q:6379',
    },
    {
      role: 'worker',
      STORE_URL: 'redis://r:6379',
      QUEUE_URL: 'redis://q:6379',
      url: 'redis://q:6379',
    },
  ] as const)('role $role with $STORE_URL and QUEUE_URL $QUEUE_URL uses $url', (c) => {
    expect(queueUrlFor(c.role, c)).toBe(c.url);
  });

  it.each([
    { role: 'worker', STORE_URL: 'postgres://p/db', QUEUE_URL: undefined, names: 'QUEUE_URL' },
    {
      role: 'bot',
      STORE_URL: 'sqlite://data/b.sqlite',
      QUEUE_URL: 'redis://q',
      names: 'STORE_URL',
    },
  ] as const)('refuses role $role with $STORE_URL, naming $names', (c) => {
    expect(() => queueUrlFor(c.role, c)).toThrow(ConfigError);
    expect(() => queueUrlFor(c.role, c)).toThrow(c.names);
  });
});

describe('leaseOf', () => {
  it('gives the single process and the sending bot a lease each, and workers none', () => {
    expect([leaseOf('all'), leaseOf('bot'), leaseOf('worker')]).toEqual([
      'worker',
      'sender',
      undefined,
    ]);
  });
});
