import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueryError } from '../../../src/errors';
import type { QueryNode, TermNode } from '../../../src/topics/ast';
import { compileTopics, parseQuery } from '../../../src/topics/compile';
import { parseGroupEntry } from '../../../src/topics/query-parser';
import type { Groups, TopicDef } from '../../../src/topics/schema';
import { tokenizeDoc, type Token } from '../../../src/topics/tokenize';
import type { MatchDoc } from '../../../src/domain/match';

const doc = (title: string, text = '', description = ''): MatchDoc => ({
  title,
  description,
  text,
});
const topic = (id: string, query: string, minScore = 0): TopicDef => ({
  id,
  name: id,
  query,
  minScore,
});
const matchOne = (query: string, d: MatchDoc, groups: Groups = {}) =>
  compileTopics([topic('t', query)], groups).match(d)[0];

describe('compileTopics: what a query matches', () => {
  it.each([
    ['Туркменистан', doc('Встреча с Туркменистаном'), true],
    ['Ashgabat', doc('Talks in Aşgabat'), true],
    ['UN', doc('Un rapport sur le Kazakhstan'), false],
    ['UN', doc('The U.N. envoy arrived'), true],
    ['UN', doc("The UN's office"), true],
    ['un', doc('UN talks'), true],
    ['ООН', doc('представители ООН'), true],
    ['"Counter-Terrorism Office"', doc('the counter terrorism office said'), true],
    ['"Counter-Terrorism Office"', doc('the Counter-Strike office'), false],
    ['"Central Asia"', doc('the Central African Republic'), false],
    ['"Central Asia"', doc('Central Asian states'), false],
    ['terror*', doc('three terrorists arrested'), true],
    ['terror*', doc('a clerical error'), false],
    ['"UN counter-terror*"', doc('UN counter-terrorism office'), true],
    ['water -climate', doc('water and climate'), false],
    ['water -climate', doc('water and energy'), true],
    ['talks', doc('Kazakhstan and the UN talked'), true],
    ['UN NEAR/3 terrorism', doc('UN office on terrorism'), true],
    ['UN NEAR/3 terrorism', doc('UN office on water and terrorism'), false],
    ['UN NEAR/3 terrorism', doc('terrorism, said the UN'), true],
    ['UN NEAR/3 terrorism', doc('UN', 'terrorism'), false],
    ['title:UN', doc('Water talks', 'UN said'), false],
    ['title:UN', doc('UN talks'), true],
    ['summary:Bishkek', doc('Talks', '', 'in Bishkek'), true],
    ['summary:Bishkek', doc('Talks', 'in Bishkek'), false],
    ['text:Bishkek', doc('Talks', 'in Bishkek'), true],
    ['(Kazakhstan OR Uzbekistan) terrorism', doc('Uzbekistan court', 'on terrorism charges'), true],
    // Only a phrase's first word is filed; the words after it are read by position.
    ['"Office on Drugs and Crime"', doc('the UN Office on Drugs and Crime'), true],
    ['"Office on Drugs and Crime"', doc('the Office on Drugs or Crime'), false],
    ['"Office on Drugs and Crime"', doc('Office on Drugs', 'and Crime'), false],
    ['"Office on Drugs and Crime" NEAR/2 UN', doc('UN Office on Drugs and Crime'), true],
  ])('%j against %j: %s', (query, d, expected) => {
    expect(matchOne(query, d) !== undefined).toBe(expected);
  });

  it('expands a group into its entries, each a term or phrase', () => {
    const groups = { ca: ['Central Asia', 'Kazakhstan', 'ферган*'], un: ['UN', 'ООН'] };
    expect(matchOne('@un @ca', doc('UN envoy tours Central Asia'), groups)).toBeDefined();
    expect(matchOne('@un @ca', doc('ООН и Ферганская долина'), groups)).toBeDefined();
    expect(matchOne('@un @ca', doc('UN envoy tours Central America'), groups)).toBeUndefined();
  });

  it('reports an unknown group as a QueryError at the @, naming the topic', () => {
    const err = (() => {
      try {
        compileTopics([topic('ca', 'UN @nowhere')], {});
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(QueryError);
    expect(err).toMatchObject({ offset: 3, query: 'UN @nowhere' });
    expect((err as QueryError).message).toBe('Topic ca: Unknown group @nowhere');
  });

  it('reports a bad group entry as a QueryError naming the group', () => {
    expect(() => compileTopics([topic('t', '@g')], { g: ['UN OR ООН'] })).toThrow(
      /Topic t: Group g: A group entry is one term/,
    );
  });
});

describe('compileTopics: scores, minScore and hits', () => {
  const groups = { un: ['UN', 'UN Counter-Terrorism Office'], ca: ['Turkmenistan', 'Ashgabat'] };

  it('scores a title hit above the same hit in the body', () => {
    const title = matchOne('@un @ca', doc('UN and Turkmenistan'), groups);
    const body = matchOne('@un @ca', doc('Talks', 'UN and Turkmenistan'), groups);
    expect(title?.score).toBeGreaterThan(body?.score ?? Infinity);
  });

  it('scores more distinct groups above more terms of one group', () => {
    const twoGroups = matchOne('Turkmenistan OR Ashgabat OR UN', doc('x', 'Turkmenistan UN'));
    const oneGroup = matchOne('@ca OR UN', doc('x', 'Turkmenistan Ashgabat'), groups);
    expect(twoGroups?.score).toBeGreaterThan(oneGroup?.score ?? Infinity);
  });

  it('drops matches below the topic minScore and keeps those above', () => {
    const matcher = compileTopics([topic('strict', '@un @ca', 5)], groups);
    expect(matcher.match(doc('Talks', 'UN and Turkmenistan'))).toEqual([]);
    expect(matcher.match(doc('UN and Turkmenistan'))).toHaveLength(1);
  });

  it('returns matches best first and lists the topic ids in order', () => {
    const matcher = compileTopics([topic('weak', 'Ashgabat'), topic('strong', '@un @ca')], groups);
    expect(matcher.topicIds).toEqual(['weak', 'strong']);
    expect(matcher.match(doc('UN in Ashgabat')).map((m) => m.topicId)).toEqual(['strong', 'weak']);
  });

  it('deduplicates hits, keeps each in its best field with its group, and drops a term only seen inside a longer one', () => {
    const m = matchOne(
      '@un @ca',
      doc(
        'Turkmenistan talks',
        'the UN Counter-Terrorism Office and Turkmenistan, the UN Counter-Terrorism Office',
      ),
      groups,
    );
    expect(m?.hits).toEqual([
      { term: 'Turkmenistan', field: 'title', group: 'ca' },
      { term: 'UN Counter-Terrorism Office', field: 'text', group: 'un' },
    ]);
  });

  it('shows a prefix hit as the word it matched', () => {
    expect(matchOne('terror* Bishkek', doc('Bishkek', 'terrorists')))?.toMatchObject({
      hits: expect.arrayContaining([{ term: 'terrorists', field: 'text' }]),
    });
  });

  it('does not count a negated term as a hit', () => {
    expect(matchOne('Bishkek -water', doc('Bishkek')))?.toMatchObject({
      hits: [{ term: 'Bishkek', field: 'title' }],
    });
  });
});

/**
 * The oracle: the same semantics evaluated by brute force over every token, with no inverted index,
 * candidate selection, memo or prefix trie — what compileTopics must agree with.
 */
type Span = { field: string; start: number; end: number };
const MASKS = {
  title: ['title'],
  summary: ['title', 'description'],
  text: ['title', 'description', 'text'],
};

function termSpans(term: TermNode, tokens: Token[], fields: string[]): Span[] {
  const fits = (i: number, head: Token) =>
    term.words.every((w, j) => {
      const t = tokens[i + j];
      if (!t || t.field !== head.field) return false;
      return w.prefix
        ? t.norm.startsWith(w.norm)
        : t.key === w.key && (!w.caps || (t.caps && t.norm === w.norm));
    });
  return tokens
    .filter((t, i) => fields.includes(t.field) && fits(i, t))
    .map((t) => ({ field: t.field, start: t.pos, end: t.pos + term.words.length - 1 }));
}

function oracle(
  node: QueryNode,
  tokens: Token[],
  groups: Groups,
  fields = MASKS.text,
): Span[] | null {
  const rec = (n: QueryNode, f = fields) => oracle(n, tokens, groups, f);
  const some = (spans: Span[]) => (spans.length > 0 ? spans : null);
  switch (node.type) {
    case 'term':
      return some(termSpans(node, tokens, fields));
    case 'group':
      return some(
        (groups[node.name] ?? []).flatMap((e) => termSpans(parseGroupEntry(e), tokens, fields)),
      );
    case 'and': {
      const all = node.children.map((c) => rec(c));
      return all.every((s) => s !== null) ? (all.flat() as Span[]) : null;
    }
    case 'or':
      return (
        some(node.children.flatMap((c) => rec(c) ?? [])) ??
        (node.children.some((c) => rec(c) !== null) ? [] : null)
      );
    case 'not':
      return rec(node.child) === null ? [] : null;
    case 'field':
      return rec(node.child, MASKS[node.field]);
    case 'near': {
      const [l, r] = [rec(node.left), rec(node.right)];
      if (!l || !r) return null;
      const at = (pos: number) => {
        const t = tokens[pos] as Token;
        return node.unit === 'word' ? pos : node.unit === 'sentence' ? t.sent : t.para;
      };
      const near = (a: Span, b: Span) =>
        a.field === b.field &&
        Math.max(at(a.start), at(b.start)) - Math.min(at(a.end), at(b.end)) <= node.distance;
      const keptL = l.filter((a) => r.some((b) => near(a, b)));
      return keptL.length > 0 ? [...keptL, ...r.filter((b) => l.some((a) => near(a, b)))] : null;
    }
    case 'scope':
      throw new Error('the random queries have no scopes: they are tested on their own');
  }
}

describe('compileTopics agrees with brute-force evaluation', () => {
  const words = [
    'UN',
    'un',
    'ООН',
    'terror',
    'terrorism',
    'terrorists',
    'Asia',
    'central',
    'Kazakh',
    'water',
    'talks',
    'U.N.',
    'talks.',
    'Water.\n\nThe',
  ];
  const groups: Groups = { g: ['terror*', 'Central Asia', 'ООН'], h: ['UN', 'water talks'] };
  const field = fc.array(fc.constantFrom(...words), { maxLength: 10 }).map((xs) => xs.join(' '));
  const docs = fc.record({ title: field, description: field, text: field });
  const query = fc.letrec<{ q: string }>((tie) => ({
    q: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(
        'UN',
        'un',
        'terror*',
        'ООН',
        '"central asia"',
        'Kazakh',
        '@g',
        '@h',
        'water',
        'talk',
      ),
      fc.tuple(tie('q'), tie('q')).map(([a, b]) => `(${a} ${b})`),
      fc.tuple(tie('q'), tie('q')).map(([a, b]) => `(${a} OR ${b})`),
      fc
        .tuple(tie('q'), tie('q'), fc.integer({ min: 1, max: 4 }))
        .map(([a, b, n]) => `(${a} NEAR/${n} ${b})`),
      fc
        .tuple(tie('q'), tie('q'), fc.constantFrom('sentence', 'paragraph'))
        .map(([a, b, unit]) => `(${a} NEAR/${unit} ${b})`),
      tie('q').map((a) => `-${a}`),
      fc
        .tuple(fc.constantFrom('title', 'summary', 'text'), tie('q'))
        .map(([f, a]) => `${f}:(${a})`),
    ),
  })).q;

  it('for random queries over groups, prefixes, phrases and NEAR, several topics compiled together', () => {
    fc.assert(
      fc.property(fc.array(query, { minLength: 1, maxLength: 6 }), docs, (queries, d) => {
        const valid = queries.filter((q) => {
          try {
            parseQuery(q);
            return true;
          } catch {
            return false;
          }
        });
        fc.pre(valid.length > 0);
        const matcher = compileTopics(
          valid.map((q, i) => topic(`t${i}`, q)),
          groups,
        );
        const got = matcher
          .match(d)
          .map((m) => m.topicId)
          .sort();
        const tokens = tokenizeDoc(d);
        const want = valid
          .flatMap((q, i) => (oracle(parseQuery(q), tokens, groups) ? [`t${i}`] : []))
          .sort();
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});
