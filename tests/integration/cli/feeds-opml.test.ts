/**
 * `briefing feeds import` and `feeds export` on real files in a temporary config folder: merge,
 * dry run, comments kept, and the round trip export → import into an empty config.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCommands, main } from '../../../main';
import type { CliContext } from '../../../src/cli/context';
import { feedsExport } from '../../../src/cli/feeds-export';
import { feedsImport } from '../../../src/cli/feeds-import';
import { loadFeeds } from '../../../src/config/catalog';
import { parseEnv } from '../../../src/config/env';
import { memoryLogger } from '../../../src/log';

let dir: string;
let output: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-opml-'));
  output = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function context(configDir: string, json = false): CliContext {
  return {
    env: parseEnv({}),
    logger: memoryLogger(),
    configDir,
    json,
    verbose: false,
    out: (text) => void output.push(text),
    loadCommands,
    color: false,
  };
}

const OPERATOR_FEEDS = `# The operator's catalogue.
feeds:
  # Regional news, checked first.
  - id: eurasianet
    url: https://eurasianet.org/rss.xml
    name: Eurasianet
  - id: local-archive
    url: ./archive.xml
`;

describe('briefing feeds import', () => {
  it('adds the new feeds of an OPML file, skips known ones, and keeps the file’s comments', async () => {
    await writeFile(join(dir, 'feeds.yaml'), OPERATOR_FEEDS);
    expect(await feedsImport(context(dir), 'tests/fixtures/opml/feedly.opml', {})).toBe(0);
    expect(output.join('')).toBe(
      [
        'added 2 feeds, skipped 1',
        '  + the-times-of-central-asia  https://timesca.com/feed/',
        '  + caspian-pipeline-watch  https://pipeline-watch.example/feed.xml?utm_source=feedly',
        '  - https://eurasianet.org/rss.xml  (already in feeds.yaml as "eurasianet")',
        '',
      ].join('\n'),
    );
    const text = await readFile(join(dir, 'feeds.yaml'), 'utf8');
    expect(text.startsWith(OPERATOR_FEEDS)).toBe(true);
    expect((await loadFeeds(dir)).map((f) => f.id)).toEqual([
      'eurasianet',
      'local-archive',
      'the-times-of-central-asia',
      'caspian-pipeline-watch',
    ]);

    output = [];
    await feedsImport(context(dir, true), 'tests/fixtures/opml/feedly.opml', {});
    expect(JSON.parse(output.join(''))).toMatchObject({ dryRun: false, added: [] });
  });

  it('--dry-run reports the same and changes nothing', async () => {
    await writeFile(join(dir, 'feeds.yaml'), OPERATOR_FEEDS);
    await feedsImport(context(dir), 'tests/fixtures/opml/thunderbird.opml', { dryRun: true });
    expect(output.join('')).toContain(
      'would add 2 feeds, skipped 1 (dry run: feeds.yaml unchanged)',
    );
    expect(await readFile(join(dir, 'feeds.yaml'), 'utf8')).toBe(OPERATOR_FEEDS);
  });

  it('export → import into an empty config adds every feed', async () => {
    await writeFile(join(dir, 'feeds.yaml'), OPERATOR_FEEDS);
    for (const reader of ['inoreader', 'netnewswire'])
      await feedsImport(context(dir), `tests/fixtures/opml/${reader}.opml`, {});
    output = [];
    await feedsExport(context(dir), () => new Date('2026-03-01T00:00:00Z'));
    const exported = output.join('');
    expect(exported).not.toContain('archive.xml');

    const empty = await mkdtemp(join(dir, 'empty-'));
    await writeFile(join(empty, 'exported.opml'), exported);
    output = [];
    await feedsImport(context(empty), join(empty, 'exported.opml'), {});
    const shareable = (await loadFeeds(dir)).filter((f) => f.url.startsWith('https://'));
    const imported = await loadFeeds(empty);
    expect(imported.map((f) => [f.url, f.name])).toEqual(shareable.map((f) => [f.url, f.name]));
    expect(output.join('')).toContain(`added ${shareable.length} feeds, skipped 0`);
  });

  it('a broken file, or an invalid feeds.yaml, is refused with exit code 2 and nothing written', async () => {
    await writeFile(join(dir, 'feeds.yaml'), 'feeds:\n  - id: Not Valid\n    url: x\n');
    await copyFile('tests/fixtures/opml/feedly.opml', join(dir, 'in.opml'));
    await writeFile(join(dir, 'bomb.opml'), '<!DOCTYPE x [<!ENTITY a "a">]><opml/>');
    const argv = (file: string) => ['--config', dir, 'feeds', 'import', join(dir, file)];
    const errors: string[] = [];
    const stderr = process.stderr.write;
    process.stderr.write = ((text: string) => errors.push(text) > 0) as typeof stderr;
    try {
      expect(await main(argv('in.opml'))).toBe(2);
      expect(await main(argv('bomb.opml'))).toBe(2);
      expect(await main(argv('missing.opml'))).toBe(2);
    } finally {
      process.stderr.write = stderr;
    }
    expect(errors.join('')).toMatch(/feeds\.yaml:2 feeds\[0\]\.id/);
    expect(errors.join('')).toContain('refused: the file declares a DOCTYPE');
    expect(errors.join('')).toContain('missing.opml: cannot read file');
    expect(await readFile(join(dir, 'feeds.yaml'), 'utf8')).toBe(
      'feeds:\n  - id: Not Valid\n    url: x\n',
    );
  });
});
