/** Owners' edits of config/topics.yaml, on real files: the edit lands, the rest of the file stays. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTopicsFileEditor } from '../../../src/config/topics-file-editor';
import { UserError } from '../../../src/errors';

const TOPICS = `# The operator's notes stay where they are.
groups:
  fuels: [gas, oil, coal] # flow style is kept
topics:
  - id: energy
    name: Energy
    # why this query: fuels, or the pipeline story
    query: "@fuels OR pipeline"
  - id: water
    name: Water
    query: water OR river
`;

let dir: string;
const file = () => join(dir, 'topics.yaml');
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-topics-edit-'));
  await writeFile(file(), TOPICS);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the topics file editor', () => {
  it('changes only the named fields of the named topic, keeping comments, order and styles', async () => {
    const result = await createTopicsFileEditor(dir).edit('energy', {
      query: '@fuels OR pipeline OR "power grid" NOT water',
      minScore: 3,
    });
    const text = await readFile(file(), 'utf8');
    expect(text).toBe(
      TOPICS.replace(
        '    query: "@fuels OR pipeline"\n',
        `    query: '@fuels OR pipeline OR "power grid" NOT water'\n    minScore: 3\n`,
      ),
    );
    expect(result.topics.find((t) => t.id === 'energy')).toMatchObject({
      name: 'Energy',
      query: '@fuels OR pipeline OR "power grid" NOT water',
      minScore: 3,
    });
    expect(result.topics.find((t) => t.id === 'water')?.query).toBe('water OR river');
  });

  it('refuses a change that would make the file invalid, and leaves the file as it was', async () => {
    const editor = createTopicsFileEditor(dir);
    await expect(editor.edit('energy', { query: '@nuclear OR gas' })).rejects.toThrow(
      /would make .*topics\.yaml invalid:[\s\S]*unknown group @nuclear/,
    );
    expect(await readFile(file(), 'utf8')).toBe(TOPICS);
    expect(await readdir(dir)).toEqual(['topics.yaml']);
  });

  it('says so when the topic is no longer in the file, or the file is broken', async () => {
    const editor = createTopicsFileEditor(dir);
    await expect(editor.edit('gone', { name: 'Gone' })).rejects.toThrow(UserError);
    await writeFile(file(), 'topics: [unclosed\n');
    await expect(editor.edit('energy', { name: 'Power' })).rejects.toThrow(
      /has errors; fix the file first/,
    );
    expect(await readFile(file(), 'utf8')).toBe('topics: [unclosed\n');
  });

  it('replaces a folded query with one line and adds a missing key under its topic, nothing else', async () => {
    const folded = TOPICS.replace(
      '    query: water OR river\n',
      '    query: >-\n      water\n      OR river\n',
    );
    await writeFile(file(), folded);
    await createTopicsFileEditor(dir).edit('water', { query: 'water OR lake', minScore: 4 });
    expect(await readFile(file(), 'utf8')).toBe(
      TOPICS.replace('    query: water OR river\n', '    query: water OR lake\n    minScore: 4\n'),
    );
  });

  it('falls back to rewriting the file, comments kept, for a topic written as a flow map', async () => {
    await writeFile(
      file(),
      TOPICS.replace(
        '  - id: water\n    name: Water\n    query: water OR river\n',
        '  - { id: water, name: Water, query: water OR river }\n',
      ),
    );
    const result = await createTopicsFileEditor(dir).edit('water', { name: 'Rivers' });
    const text = await readFile(file(), 'utf8');
    expect(text).toContain("# The operator's notes stay where they are.");
    expect(text).toContain('# why this query: fuels, or the pipeline story');
    expect(result.topics.find((t) => t.id === 'water')).toMatchObject({
      name: 'Rivers',
      query: 'water OR river',
    });
  });

  it('applies concurrent edits one after the other, so neither is lost', async () => {
    const editor = createTopicsFileEditor(dir);
    await Promise.all([
      editor.edit('energy', { name: 'Power' }),
      editor.edit('water', { name: 'Rivers' }),
    ]);
    const text = await readFile(file(), 'utf8');
    expect(text).toContain('name: Power');
    expect(text).toContain('name: Rivers');
  });
});
