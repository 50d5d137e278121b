import { describe, expect, it } from 'vitest';
import { digest } from '../../../src/store/hash';

describe('digest', () => {
  // Store keys are built on it (the seen set, the outbox, story records): these values were
  // written by the createHash version, and a changed digest would make every stored name unknown.
  it.each([
    ['g:https://news.example/a', 22, 'l8Kt498xBRP8krC0g1YdSF'],
    ['title:un talks in bishkek', 22, 'ZUs2PrTEdSUBU13QjRCtEw'],
    ['Туркменистан', 24, 'eG79REa8bJdYmv8HnEOEnHjX'],
  ])('gives %j the digest stored before (length %i)', (text, length, expected) => {
    expect(digest(text, length)).toBe(expected);
  });
});
