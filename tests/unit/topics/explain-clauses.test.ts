import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { QueryNode } from '../../../src/topics/ast';
import { compileTopics } from '../../../src/topics/compile';
import {
  type Clause,
  clauseExplainer,
  closeness,
  renderClauses,
  whyNot,
} from '../../../src/topics/explain-clauses';
import { parseQuery } from '../../../src/topics/query-parser';
import { queryText } from '../../../src/topics/query-text';
import { TopicsFileSchema } from '../../../src/topics/schema';
import type { MatchDoc } from '../../../src/domain/match';

const file = TopicsFileSchema.parse(parse(readFileSync('config/topics.yaml', 'utf8')));
const explain = (query: string, doc: MatchDoc, groups = file.groups) =>
  clauseExplainer(parseQuery(query), query, groups).explain(doc);

const far: MatchDoc = {
  title: 'Kazakhstan hosts regional meeting on border management',
  description: '',
  text: [
    'Officials of the UN and of the five Central Asian states met in Almaty on Tuesday to review',
    'border cooperation, customs procedures, the exchange of data between agencies, training of',
    'staff at crossings and the new equipment delivered last year, and then they spoke about terrorism.',
  ].join(' '),
};

describe('explaining a miss clause by clause', () => {
  it('says how far apart the sides of a NEAR came, and what it needed', () => {
    const c = explain('UN NEAR/12 terrorism', far);
    expect(c.held).toBe(false);
    expect(c.detail).toBe('UN … terrorism: 42 words apart; NEAR/12 needs ≤ 12');
    expect(c.clauses.map((k) => [k.text, k.held, k.detail])).toEqual([
      ['UN', true, 'UN'],
      ['terrorism', true, 'terrorism'],
    ]);
  });

  it('names each clause of the default topic with whether it held and what it found', () => {
    const topic = file.topics.find((t) => t.id === 'un-ct-central-asia')!;
    const c = explain(topic.query, {
      ...far,
      text: far.text.replace(
        ', and then they spoke about terrorism.',
        '.\n\nThey spoke about terrorism.',
      ),
    });
    const near =
      '@un NEAR/paragraph @counter_terrorism: UN … terrorism: 1 paragraph apart; NEAR/paragraph needs one paragraph';
    expect(renderClauses(c)).toEqual([
      `✗ ${queryText(parseQuery(topic.query))}`,
      '  ✗ @un_ct OR @un NEAR/paragraph @counter_terrorism OR @un @returnees',
      '    ✗ @un_ct: not found',
      `    ✗ ${near}`,
      '      ✓ @un: UN',
      '      ✓ @counter_terrorism: terrorism',
      '    ✗ @un @returnees',
      '      ✓ @un: UN',
      '      ✗ @returnees: not found',
      expect.stringMatching(/^ {2}✓ @central_asia OR/),
      '    ✓ @central_asia: Central Asian, Kazakhstan, Almaty',
      expect.stringMatching(/^ {4}✗ @central_asia_ambiguous NOT @elsewhere$/),
      '      ✗ @central_asia_ambiguous: not found',
      '      ✓ NOT @elsewhere',
      '        ✗ @elsewhere: not found',
    ]);
    expect(whyNot(c)).toBe(`@un_ct: not found · ${near} · @returnees: not found`);
    expect(closeness(c)).toBeCloseTo(0.9);
  });

  it.each([
    [
      'UN NEAR/sentence terrorism',
      'UN … terrorism: 1 sentence apart; NEAR/sentence needs one sentence',
    ],
    ['UN NEAR/paragraph terrorism', 'UN … terrorism: in one paragraph'],
    ['UN NEAR/3 drought', 'needs both sides'],
  ])('explains %s', (query, detail) => {
    const doc = {
      title: '',
      description: '',
      text: 'The UN met. It spoke of terrorism.\n\nWater.',
    };
    expect(explain(query, doc).detail).toBe(detail);
  });

  it('says what a NOT found, and what the item is for a scope', () => {
    const doc: MatchDoc = {
      title: 'UN water talks in Dushanbe',
      description: '',
      text: '',
      link: 'https://www.unwater.example.org/news',
    };
    const c = explain('UN -water site:un.org', doc, {});
    expect(c.clauses.map((k) => `${k.held ? '✓' : '✗'} ${k.text}: ${k.detail}`)).toEqual([
      '✓ UN: UN',
      '✗ NOT water: found water',
      "✗ site:un.org: the item's site is unwater.example.org",
    ]);
  });

  it('agrees with the matcher on whether the query held, for random items', () => {
    const topic = file.topics.find((t) => t.id === 'un-ct-central-asia')!;
    const matcher = compileTopics([{ ...topic, minScore: 0 }], file.groups);
    const explainer = clauseExplainer(parseQuery(topic.query), topic.query, file.groups);
    const words = fc.constantFrom(
      'UN',
      'UNOCT',
      'terrorism',
      'Kazakh',
      'Kazakhstan',
      'Afghanistan',
      'water',
      'talks',
      '.',
      '\n\n',
    );
    const text = fc.array(words, { maxLength: 30 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(text, text, (title, body) => {
        const doc = { title, description: '', text: body };
        const c: Clause = explainer.explain(doc);
        expect(c.held).toBe(matcher.match(doc).length > 0);
        expect(closeness(c) === 1).toBe(c.held);
      }),
      { numRuns: 200 },
    );
  });
});

describe('queryText', () => {
  const strip = (n: QueryNode): unknown =>
    JSON.parse(JSON.stringify(n, (k, v) => (k === 'offset' ? undefined : v)));
  it.each([
    'a b OR c',
    '(a OR b) c',
    'a NEAR/2 (b NEAR/3 c)',
    'NOT (a OR b) c',
    'title:(a OR b) "c d" site:un.org author:"Jane Doe"',
    '@un NEAR/sentence @ct -@elsewhere',
  ])('writes %s back so that it parses to the same query', (q) => {
    const ast = parseQuery(q);
    expect(strip(parseQuery(queryText(ast)))).toEqual(strip(ast));
  });
});
