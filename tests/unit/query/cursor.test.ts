import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors';
import { decodeCursor, encodeCursor, filterFingerprint } from '../../../src/query/cursor';

describe('page cursors', () => {
  const filters = filterFingerprint({ topics: ['b', 'a'], text: 'water' });

  it('give back the position they were made from', () => {
    const cursor = encodeCursor({ ms: 1_794_000_000_123, key: 'k/ä+=' }, filters);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeCursor(cursor, filters)).toEqual({ ms: 1_794_000_000_123, key: 'k/ä+=' });
  });

  it('do not depend on the order of topics or feeds', () => {
    expect(filterFingerprint({ topics: ['a', 'b'], text: ' water ' })).toBe(filters);
    expect(filterFingerprint({ topics: ['a'], text: 'water' })).not.toBe(filters);
    expect(filterFingerprint({ feeds: ['a', 'b'], text: 'water' })).not.toBe(filters);
  });

  it.each([
    ['garbage', /not one this bot gave out/],
    [Buffer.from('[1,"k"]').toString('base64url'), /not one this bot gave out/],
    [Buffer.from('[1.5,"k","x"]').toString('base64url'), /not one this bot gave out/],
    [encodeCursor({ ms: 1, key: 'k' }, 'other'), /different search/],
  ])('refuse %s', (text, message) => {
    expect(() => decodeCursor(text, filters)).toThrow(UserError);
    expect(() => decodeCursor(text, filters)).toThrow(message);
  });
});
