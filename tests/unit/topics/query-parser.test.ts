import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueryError } from '../../../src/errors';
import type { QueryNode } from '../../../src/topics/ast';
import { parseGroupEntry, parseQuery } from '../../../src/topics/query-parser';

/** A compact rendering of the AST: ^ marks an all-caps word, * a prefix, "…" a phrase. */
function show(n: QueryNode): string {
  switch (n.type) {
    case 'term': {
      const words = n.words.map((w) => `${w.caps ? '^' : ''}${w.key}${w.prefix ? '*' : ''}`);
      return words.length > 1 ? `"${words.join(' ')}"` : (words[0] ?? '');
    }
    case 'group':
      return `@${n.name}`;
    case 'and':
    case 'or':
      return `(${n.type.toUpperCase()} ${n.children.map(show).join(' ')})`;
    case 'not':
      return `(NOT ${show(n.child)})`;
    case 'near':
      return `(NEAR/${n.unit === 'word' ? n.distance : n.unit} ${show(n.left)} ${show(n.right)})`;
    case 'scope':
      return `${n.scope}:${JSON.stringify(n.value)}`;
    case 'field':
      return `${n.field}:${show(n.child)}`;
  }
}

function errorOf(query: string): QueryError {
  try {
    parseQuery(query);
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error(`parsed: ${query}`);
}

describe('parseQuery', () => {
  it.each([
    ['UN Turkmenistan', '(AND ^un turkmenistan)'],
    ['a AND b', '(AND a b)'],
    ['a OR b c', '(OR a (AND b c))'],
    ['a b OR c', '(OR (AND a b) c)'],
    ['(a OR b) c', '(AND (OR a b) c)'],
    ['NOT a b', '(AND (NOT a) b)'],
    ['water -climate', '(AND water (NOT climat))'],
    ['-(a OR b) c', '(AND (NOT (OR a b)) c)'],
    [
      '@un NEAR/8 @counter_terrorism @central_asia',
      '(AND (NEAR/8 @un @counter_terrorism) @central_asia)',
    ],
    ['a NEAR b', '(NEAR/10 a b)'],
    ['a NEAR/2 b NEAR/3 c', '(NEAR/3 (NEAR/2 a b) c)'],
    ['a OR b NEAR/5 c', '(OR a (NEAR/5 b c))'],
    ['"Global Counter-Terrorism Strategy"', '"global counter terrorism strategy"'],
    ['Counter-Terrorism', '"counter terrorism"'],
    ['U.N.', '^un'],
    ['terror*', 'terror*'],
    ['"контртеррористическ* управлени*"', '"контртеррористическ* управлени*"'],
    ['title:UN summary:(a OR b) text:"c d"', '(AND title:^un summary:(OR a b) text:"c d")'],
    ['title:(a summary:b)', 'title:(AND a summary:b)'],
    ['Туркменистаном', 'туркменистан'],
    ['and or not', '(AND and or not)'],
    ['Counter-Strike', '"counter strik"'],
    ['@un NEAR/sentence @ct', '(NEAR/sentence @un @ct)'],
    ['a NEAR/paragraph b NEAR/3 c', '(NEAR/3 (NEAR/paragraph a b) c)'],
    [
      'UN feed:trend site:www.UN.org author:"Jane Doe" category:Security lang:ru',
      '(AND ^un feed:"trend" site:"www.UN.org" author:"Jane Doe" category:"Security" lang:"ru")',
    ],
    ['UN -site:un.org', '(AND ^un (NOT site:"un.org"))'],
  ])('parses %j as %s', (query, expected) => {
    expect(show(parseQuery(query))).toBe(expected);
  });

  it('keeps the written form of a term for explanations', () => {
    expect(parseQuery('"UN Counter-Terrorism Office"')).toMatchObject({
      type: 'term',
      text: 'UN Counter-Terrorism Office',
      offset: 1,
    });
  });

  it.each([
    ['', 0, 'Empty query'],
    ['   ', 0, 'Empty query'],
    ['a AND', 5, 'Expected a term'],
    ['a OR OR b', 5, 'Expected a term'],
    ['(a OR b', 0, 'Missing )'],
    ['a OR b)', 6, 'Unmatched )'],
    ['()', 1, 'Expected a term'],
    ['"UN office', 0, 'Unclosed quote'],
    ['a NEAR/x b', 2, 'NEAR takes a distance'],
    ['a NEAR/0 b', 2, '1 to 999 words'],
    ['a NEAR/1000 b', 2, '1 to 999 words'],
    ['a NEAR/sentenced b', 2, 'NEAR/sentence or NEAR/paragraph'],
    ['lang:russian UN', 0, 'two-letter language code'],
    ['UN site:', 3, 'site: needs a value'],
    ['UN author:"', 10, 'Unclosed quote'],
    ['lang:ru', 0, 'at least one term that is not negated'],
    ['UN NEAR/sentence feed:x', 17, 'a scope has no position'],
    ['@Central-Asia', 0, 'group name'],
    ['foo:bar', 0, 'Unknown field foo'],
    ['te*', 0, 'at least 3 letters'],
    ['UN *terror', 3, '* must follow a word'],
    ['NOT water', 0, 'at least one term that is not negated'],
    ['a OR NOT b', 0, 'at least one term that is not negated'],
    ['NOT a NEAR/3 b', 0, 'Each side of NEAR'],
    ['a NEAR/3 -b', 9, 'Each side of NEAR'],
    ['UN ???', 3, 'Expected a word'],
  ])('rejects %j at offset %i', (query, offset, message) => {
    const e = errorOf(query);
    expect(e.offset).toBe(offset);
    expect(e.message).toContain(message);
    expect(e.query).toBe(query);
  });

  // Before the limits, each of these died with "Maximum call stack size exceeded".
  it.each([
    ['1,900 nested brackets', `${'('.repeat(1900)}UN${')'.repeat(1900)}`, 50],
    ['NOT NOT … 5,000 times', `UN ${'NOT '.repeat(5000)}water`.slice(0, 3990), 3 + 50 * 4],
    ['a chain of 300 NEARs', `UN${' NEAR/2 UN'.repeat(300)}`, 2 + 50 * 10 + 1],
    ['title: 3,000 times', `${'title:'.repeat(600)}UN`, 50 * 6],
  ])(
    'refuses a query nested too deeply (%s) with a caret, not a stack overflow',
    (_, query, offset) => {
      const e = errorOf(query);
      expect(e.message).toContain('nests more than 50 deep');
      expect(e.offset).toBe(offset);
      expect(e.withCaret().split('\n')[2]?.length).toBeLessThan(130);
    },
  );

  it.each([
    ['6,000 nested brackets', `${'('.repeat(6000)}UN${')'.repeat(6000)}`],
    ['NOT NOT … 5,000 times', `UN ${'NOT '.repeat(5000)}water`],
  ])(
    'refuses a query longer than 4,000 characters (%s), pointing at where it goes over',
    (_, query) => {
      const e = errorOf(query);
      expect(e.message).toBe(`A query is at most 4000 characters (this one has ${query.length})`);
      expect(e.offset).toBe(4000);
      const [, shown, caret] = e.withCaret().split('\n');
      expect(shown?.[caret?.indexOf('^') ?? -1]).toBe(query[4000]);
    },
  );

  it('shows a caret under the offending character', () => {
    expect(errorOf('@un NEAR/8 (@ct OR').withCaret()).toBe(
      'Expected a term, "phrase", @group or ( at the end of the query\n  @un NEAR/8 (@ct OR\n                    ^',
    );
  });

  it('either parses or throws a QueryError with an offset inside the query, for any input', () => {
    const alphabet = fc.constantFrom(
      'a',
      'UN',
      ' ',
      '(',
      ')',
      '"',
      '-',
      '*',
      '@',
      'g',
      ':',
      'title',
      'AND',
      'OR',
      'NOT',
      'NEAR/2',
      'ООН',
      'é',
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 12 }).map((xs) => xs.join('')),
        (query) => {
          try {
            parseQuery(query);
          } catch (e) {
            expect(e).toBeInstanceOf(QueryError);
            expect((e as QueryError).offset).toBeGreaterThanOrEqual(0);
            expect((e as QueryError).offset).toBeLessThanOrEqual(query.length);
          }
        },
      ),
    );
  });
});

describe('parseGroupEntry', () => {
  it.each([
    ['Counter-Terrorism Office', '"counter terrorism offic"'],
    ['"Global Counter-Terrorism Strategy"', '"global counter terrorism strategy"'],
    ['Central Asia', '"central asia"'],
    ['UNOCT', '^unoct'],
    ['Воронков*', 'воронков*'],
    ['"Bosnia AND Herzegovina"', '"bosnia ^and herzegovina"'],
  ])('reads the entry %j as one term', (entry, expected) => {
    expect(show(parseGroupEntry(entry))).toBe(expected);
  });

  it.each([
    ['UN OR ООН', 3],
    ['(UNOCT)', 0],
    ['@un', 0],
    ['  UN "office', 5],
  ])('rejects the entry %j with an operator at %i', (entry, offset) => {
    expect(() => parseGroupEntry(entry)).toThrow(QueryError);
    try {
      parseGroupEntry(entry);
    } catch (e) {
      expect((e as QueryError).offset).toBe(offset);
    }
  });
});
