import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileTopics } from '../../../src/topics/compile';
import { DEFAULT_MIN_SCORE, TopicsFileSchema } from '../../../src/topics/schema';

const issues = (input: unknown) => {
  const r = TopicsFileSchema.safeParse(input);
  return r.success
    ? []
    : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('TopicsFileSchema', () => {
  it('accepts the shipped config/topics.yaml, which compiles', () => {
    const file = TopicsFileSchema.parse(parse(readFileSync('config/topics.yaml', 'utf8')));
    expect(file.topics.map((t) => t.id)).toContain('un-ct-central-asia');
    expect(compileTopics(file.topics, file.groups).topicIds).toEqual(file.topics.map((t) => t.id));
  });

  it.each([
    [
      '6,000 nested brackets',
      `${'('.repeat(6000)}UN${')'.repeat(6000)}`,
      /at most 4000 characters/,
    ],
    [
      '1,000 nested brackets',
      `${'('.repeat(1000)}UN${')'.repeat(1000)}`,
      /nests more than 50 deep/,
    ],
    ['NOT NOT … 5,000 times', `UN ${'NOT '.repeat(5000)}water`, /at most 4000 characters/],
  ])('reports a topic with %s once, with no stack overflow beside it', (_, query, message) => {
    const found = issues({ topics: [{ id: 'deep', name: 'Deep', query }] });
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe('topics.0.query');
    expect(found[0]?.message).toMatch(message);
    expect(found[0]?.message).toMatch(/\n {2}.{100,125}…\n +\^$/);
  });

  it('fills in the default minScore and empty sections', () => {
    expect(TopicsFileSchema.parse({ topics: [{ id: 'a', name: 'A', query: 'UN' }] })).toEqual({
      groups: {},
      topics: [{ id: 'a', name: 'A', query: 'UN', minScore: DEFAULT_MIN_SCORE }],
    });
  });

  it('reports a query syntax error at the topic index, with the caret under the offset', () => {
    expect(
      issues({
        topics: [
          { id: 'a', name: 'A', query: 'UN' },
          { id: 'b', name: 'B', query: 'UN AND (x' },
        ],
      }),
    ).toEqual([
      { path: 'topics.1.query', message: 'Missing ) for this (\n  UN AND (x\n         ^' },
    ]);
  });

  it('reports every unknown @group of a query', () => {
    expect(
      issues({ groups: { un: ['UN'] }, topics: [{ id: 'a', name: 'A', query: '@un @ca OR @xx' }] }),
    ).toEqual([
      { path: 'topics.0.query', message: 'unknown group @ca\n  @un @ca OR @xx\n      ^' },
      { path: 'topics.0.query', message: 'unknown group @xx\n  @un @ca OR @xx\n             ^' },
    ]);
  });

  it('reports a group entry that is not a single term or phrase', () => {
    expect(issues({ groups: { un: ['UN', 'UN OR ООН'] }, topics: [] })).toEqual([
      {
        path: 'groups.un.1',
        message: expect.stringContaining('A group entry is one term or phrase'),
      },
    ]);
  });

  it.each([
    [{ topics: [{ id: 'A B', name: 'x', query: 'UN' }] }, 'topics.0.id'],
    [
      {
        topics: [
          { id: 'a', name: 'x', query: 'UN' },
          { id: 'a', name: 'y', query: 'UN' },
        ],
      },
      'topics.1.id',
    ],
    [{ topics: [{ id: 'a', name: 'x', query: 'UN', minScore: -1 }] }, 'topics.0.minScore'],
    [{ topics: [{ id: 'a', name: 'x', query: 'UN', minscore: 2 }] }, 'topics.0'],
    [{ groups: { 'Central-Asia': ['x'] }, topics: [] }, 'groups.Central-Asia'],
    [{ groups: { ca: [] }, topics: [] }, 'groups.ca'],
  ])('rejects %j at %s', (input, path) => {
    expect(issues(input).map((i) => i.path)).toContain(path);
  });
});
