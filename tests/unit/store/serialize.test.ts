/** The store's serializer writes and reads exactly keyv's own format, only faster. */
import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deserialize, serialize } from '../../../src/store/serialize';

/** Strings that start with ':' (keyv's escape), contain `":`, or are anything at all. */
const text = fc.oneof(
  fc.string(),
  fc.string().map((s) => `:${s}`),
  fc.string().map((s) => `::${s}":${s}`),
  fc.constant(':base64:'),
);
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    tie('list'),
    tie('record'),
  ),
  list: fc.array(tie('any'), { maxLength: 5 }),
  record: fc.dictionary(text, tie('any'), { maxKeys: 5 }),
}));
/** What keyv hands the serializer: the value and its expiry. */
const stored = fc.record({
  value: value.any,
  expires: fc.option(fc.integer({ min: 0 }), { nil: undefined }),
});

describe('serialize / deserialize', () => {
  it('write the same text as keyv’s serializer', () => {
    fc.assert(
      fc.property(stored, (data) => {
        expect(serialize(data)).toBe(defaultSerialize(data));
      }),
      { numRuns: 2_000 },
    );
  });

  it('read any text keyv’s serializer wrote as keyv’s reader does', () => {
    fc.assert(
      fc.property(stored, (data) => {
        const written = defaultSerialize(data);
        expect(deserialize(written)).toEqual(defaultDeserialize(written));
      }),
      { numRuns: 2_000 },
    );
  });

  it('round-trip strings that start with a colon', () => {
    const data = { value: { a: ':x', b: [':', '::y', 'plain', { ':key': ':v' }], c: 'say ":hi"' } };
    expect(serialize(data)).toBe(defaultSerialize(data));
    expect(deserialize(serialize(data))).toEqual(data);
  });
});
