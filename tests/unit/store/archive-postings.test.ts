import { describe, expect, it } from 'vitest';
import { encodeEntries } from '../../../src/store/archive-list';
import { postingsOf, SHARDS, shardOf, withPending } from '../../../src/store/archive-postings';
import { deserialize, serialize } from '../../../src/store/serialize';

const list = (...xs: number[]) => Float64Array.from(xs);

describe('word postings', () => {
  it('a batch files each word with its items, in place order, through the stored format', () => {
    const postings = deserialize<Record<string, string>>(
      serialize(
        postingsOf([
          { words: ['water', 'talk'], packed: 5 },
          { words: ['water', '__proto__'], packed: 9 },
        ]),
      ),
    );
    expect(Array.from(withPending(list(), [postings], 'water'))).toEqual([5, 9]);
    expect(Array.from(withPending(list(), [postings], 'talk'))).toEqual([5]);
    expect(Array.from(withPending(list(), [postings], '__proto__'))).toEqual([9]);
    expect(Array.from(withPending(list(), [postings], 'constructor'))).toEqual([]);
  });

  it.each([
    ['nothing pending', [1, 2], [], [1, 2]],
    ['pending after the folded entries', [1, 2], [[3, 4], [7]], [1, 2, 3, 4, 7]],
    // A fold between reading the pending rows and the lists: its entries were read twice.
    ['a batch folded while it was read', [1, 2, 3, 4], [[3, 4], [7]], [1, 2, 3, 4, 7]],
    ['an empty list', [], [[3], [7]], [3, 7]],
  ])('%s reads as one ascending list', (_, folded, rows, expected) => {
    const pending = rows.map((entries) => ({ water: encodeEntries(entries) }));
    expect(Array.from(withPending(list(...folded), pending, 'water'))).toEqual(expected);
  });

  it.each([
    ['water', 7],
    ['talk', 12],
    ['^un', 7],
    ['вода', 8],
    ['__proto__', 8],
  ])(
    '%s is filed in merged shard %i (part of the stored layout: stores written before read it)',
    (word, shard) => {
      expect(shardOf(word)).toBe(shard);
      expect(shard).toBeLessThan(SHARDS);
    },
  );
});
