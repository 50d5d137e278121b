import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendEncoded,
  appendWrites,
  CHUNK,
  decodeEntries,
  encodeEntries,
  readHeads,
  readLists,
  type ListHead,
} from '../../../src/store/archive-list';
import { indexWords, searchDoc } from '../../../src/store/archive-index';
import { tokenizeDoc } from '../../../src/topics/tokenize';
import { DAY_MS, dayOf, packSlot, unpackSlot } from '../../../src/store/archive-slot';
import type { KV } from '../../../src/store/kv';

/** Just enough of a store for the list code: a Map. */
function memoryKv(): KV & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const kv: KV & { data: Map<string, unknown> } = {
    data,
    backend: 'sqlite',
    get: async (k) => data.get(k) as never,
    getMany: async (ks) => ks.map((k) => data.get(k)) as never,
    set: async (k, v) => void data.set(k, v),
    setMany: async (es) => {
      for (const e of es) data.set(e.key, e.value);
    },
    delete: async (k) => void data.delete(k),
    deleteMany: async (ks) => {
      for (const k of ks) data.delete(k);
    },
    update: async (keys, plan) => {
      const { writes, result } = plan(keys.map((k) => data.get(k)));
      for (const w of writes) {
        if (w.value === undefined) data.delete(w.key);
        else data.set(w.key, w.value);
      }
      return result;
    },
    claimLease: async () => ({ held: true }),
    releaseLease: async () => {},
    leaseHolder: async () => undefined,
    close: async () => {},
  };
  return kv;
}

describe('archive lists', () => {
  it('read back every append in order, count them from the head, and rewrite at most a chunk per append', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.nat({ max: 2 ** 40 }), { maxLength: 3 * CHUNK }), { maxLength: 8 }),
        async (appends) => {
          const kv = memoryKv();
          for (const added of appends) {
            const [head] = await readHeads(kv, ['l']);
            const { writes } = appendWrites('l', head, added);
            for (const w of writes)
              expect(
                decodeEntries(typeof w.value === 'string' ? w.value : (w.value as ListHead).t)
                  .length,
              ).toBeLessThanOrEqual(CHUNK);
            await kv.setMany(writes);
          }
          const all = appends.flat();
          expect((await readLists(kv, ['l', 'never'])).map((l) => Array.from(l))).toEqual([
            all,
            [],
          ]);
          expect((await readHeads(kv, ['l']))[0]?.n ?? 0).toBe(all.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('entries are written as the stored format has them: eight base-64 digits, most significant first', () => {
    expect(encodeEntries([0, 1, 64, 2 ** 24, 2 ** 48 - 1])).toBe(
      'AAAAAAAA' + 'AAAAAAAB' + 'AAAAAABA' + 'AAABAAAA' + '________',
    );
    expect(() => encodeEntries([2 ** 48])).toThrow(/out of range/);
    expect(() => encodeEntries([1.5])).toThrow(/out of range/);
  });

  it('encoded entries that are not whole entries are an error', () => {
    expect(() => appendEncoded('l', undefined, 'AAAA')).toThrow(
      /Archive entries for l are corrupt/,
    );
  });

  it('a corrupt head is an error, not an empty list', async () => {
    const kv = memoryKv();
    kv.data.set('l', { n: 'three' });
    await expect(readLists(kv, ['l'])).rejects.toThrow(/Archive list l is corrupt/);
  });
});

describe('archive places', () => {
  it('pack an ordinal and a time of day into one number and back', () => {
    const day = '2026-11-11';
    for (const [ord, ms] of [
      [0, Date.parse('2026-11-11T00:00:00.000Z')],
      [123_456, Date.parse('2026-11-11T23:59:59.999Z')],
    ] as const) {
      expect(unpackSlot(packSlot(ord, ms, day), day)).toEqual({ day, ord, ms });
    }
    expect(packSlot(1, Date.parse('2026-11-11T00:00:00.001Z'), day)).toBe(DAY_MS + 1);
  });

  it('are filed under UTC days', () => {
    expect(dayOf('2026-11-11T23:30:00-02:00')).toBe('2026-11-12');
    expect(dayOf(Date.parse('2026-11-11T23:59:59.999Z'))).toBe('2026-11-11');
  });

  it('search the description, or the lede of the body cut at a word when there is none', () => {
    expect(searchDoc({ title: 'T', description: 'D', text: 'Body' })).toEqual({
      title: 'T',
      description: 'D',
      text: '',
    });
    const lede = searchDoc({
      title: 'T',
      description: '',
      text: `${'word '.repeat(200)}tail`,
    }).description;
    expect(lede.length).toBeLessThanOrEqual(600);
    expect(lede.endsWith('word')).toBe(true);
  });

  it('are the same words from the tokens the matcher made as from the item alone', () => {
    // Bodies around the lede's 600 characters: cut at a space, or inside a word when none is
    // near, across acronyms, possessives and characters of two units.
    const piece = fc.constantFrom(
      'word',
      'U.S.',
      'U.N',
      "UN's",
      'A',
      '𝐔.𝐍.',
      'Ёлка',
      ' ',
      '. ',
      '\n\n',
    );
    const body = fc
      .tuple(fc.array(piece, { maxLength: 400 }), fc.nat(700))
      .map(([parts, pad]) => `${'x'.repeat(pad)}${parts.join('')}`);
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('', 'A summary, U.S.'),
        body,
        (title, description, text) => {
          const item = { title, description, text };
          expect(indexWords(item, tokenizeDoc(item))).toEqual(indexWords(item));
        },
      ),
      { numRuns: 500 },
    );
  });
});
