/**
 * The evaluator that judges the bot by feedparser's `Expect:` lines must itself judge right:
 * Python's semantics on the subset used, the mapping's text and URL comparisons, and a clear
 * line between out of scope (not judged) and missing (failed).
 */
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/domain/item';
import { parseExpression } from '../../support/feedparser-expect/expression';
import { expectationOf, judge } from '../../support/feedparser-expect/judge';

const item: Item = {
  key: 'k',
  storyKey: 's',
  feedId: 'wire',
  guid: 'urn:wire:1',
  link: 'http://wire.example.com',
  title: 'Q&A session',
  description: '',
  text: 'Talks ended in Astana.',
  author: 'Jo Abenova',
  categories: ['energy', 'Gas'],
  publishedAt: '2003-12-31T10:14:55.000Z',
  fetchedAt: '2025-01-01T00:00:00.000Z',
};

const kinds = (expectation: string, items: Item[] = [item]) =>
  judge(expectation, items).map((v) =>
    v.kind === 'out-of-scope' ? `skip:${v.what}` : `${v.kind}:${v.field}`,
  );

describe('the feedparser expectation judge', () => {
  it.each([
    // text fields: expected HTML read as text, or plain text as is
    ["not bozo and entries[0]['title'] == u'Q&amp;A session'", ['skip:bozo', 'pass:title']],
    ["entries[0]['title_detail']['value'] == '<b>Q&amp;A</b> session'", ['pass:title']],
    ["entries[0]['title'] == 'Q and A'", ['fail:title']],
    // summary falls back to the content, as feedparser copies content into summary
    ["entries[0]['description'] == '<p>Talks ended in\\nAstana.</p>'", ['pass:description']],
    ["entries[0]['content'][0]['value'] == 'Talks ended in Astana.'", ['pass:content']],
    // URLs compare as URLs; guids exactly
    ["entries[0].link == 'http://wire.example.com/'", ['pass:link']],
    ["entries[0]['id'] == 'URN:wire:1'", ['fail:guid']],
    // authors by name
    ["entries[0]['author'] == 'jo@wire.example.com (Jo Abenova)'", ['pass:author']],
    [
      "(entries[0]['authors'][0]['name'] == 'Jo Abenova') and (entries[0]['authors'][1]['name'] == 'X')",
      ['pass:author', 'skip:authors[1]'],
    ],
    // categories, len(), chained comparison, tuples
    [
      "len(entries[0].tags) == 2 and entries[0].tags[1].term == u'Gas'",
      ['pass:categories', 'pass:categories'],
    ],
    ["entries[0]['published_parsed'] == (2003, 12, 31, 10, 14, 55, 2, 365, 0)", ['pass:date']],
    ["entries[0]['tags'][0]['scheme'] == 'x'", ['skip:tags[].scheme']],
    ["feed['title'] == 'Wire' and entries[0]['where'] == {}", ['skip:feed', 'skip:entry.where']],
    ["entries[0]['image']['href'] == 'http://x/i.png'", ['fail:image']],
    ['1', ['skip:no entry field']],
  ])('%s', (expectation, expected) => {
    expect(kinds(expectation)).toEqual(expected);
  });

  it('fails an in-scope expectation when the bot has no entries, with the refusal as the reason', () => {
    expect(judge("entries[0]['title'] == 'A'", [], 'refused: not a feed')).toEqual([
      {
        kind: 'fail',
        field: 'title',
        conjunct: "entries[0]['title'] == 'A'",
        why: 'refused: not a feed',
      },
    ]);
  });

  it('reports syntax outside the subset as not judged rather than guessing', () => {
    expect(kinds("entries[0]['title'] == `x`")[0]).toMatch(
      /^skip:syntax outside the supported subset/,
    );
  });

  it('reads Python string prefixes, quotes and escapes', () => {
    expect(parseExpression(`u'don\\u2019t' + "\\xa3" + '''a'b''' + r'\\n'`)).toEqual({
      t: 'add',
      l: {
        t: 'add',
        l: { t: 'add', l: { t: 'lit', v: 'don\u2019t' }, r: { t: 'lit', v: '\u00a3' } },
        r: { t: 'lit', v: "a'b" },
      },
      r: { t: 'lit', v: '\\n' },
    });
  });

  it('finds the Expect line of a test document, not what follows the comment', () => {
    const doc =
      "<!--\nDescription: x\nExpect:      not bozo and entries[0]['title'] == 'A'\n-->\n<rss/>";
    expect(expectationOf(doc)).toBe("not bozo and entries[0]['title'] == 'A'");
    expect(expectationOf('<rss/>')).toBeUndefined();
  });
});
