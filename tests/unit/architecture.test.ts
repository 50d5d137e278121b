/**
 * The layout's rules, read from the sources' imports and declarations (the import-cycle rule is
 * the linter's: `noImportCycles` in biome.jsonc):
 * - each domain type is defined once, in src/domain/, and src/domain/ imports nothing else of ours;
 * - src/ never imports commands/ (main.ts hands the command list in);
 * - data flows one way: a pipeline stage never imports a later stage, nor the orchestrator.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

const files = sources(SRC).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/** Where each relative import of a file points, as a path from the repository root. */
function importsOf(file: { path: string; text: string }): string[] {
  return [...file.text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
    relative(ROOT, resolve(ROOT, dirname(file.path), m[1]!)),
  );
}

const DOMAIN_TYPES = [
  'Item',
  'RawEntry',
  'RawFeed',
  'Match',
  'Hit',
  'Field',
  'MatchDoc',
  'FeedDef',
  'Trust',
  'PolledFeed',
  'Target',
  'Delivery',
  'Route',
  'Router',
];

/** Pipeline stages in the order data flows through them (feeds → items → matches → deliveries). */
const STAGES = ['src/feeds', 'src/topics', 'src/stories', 'src/store', 'src/delivery'];
const ORCHESTRATION = [
  'src/worker',
  'src/jobs',
  'src/services',
  'src/discord',
  'src/cli',
  'src/app.ts',
];

const folderOf = (path: string) =>
  [...STAGES, ...ORCHESTRATION, 'src/domain'].find((f) => path === f || path.startsWith(`${f}/`));

describe('the layout', () => {
  it.each(DOMAIN_TYPES)('defines the domain type %s once, in src/domain/', (name) => {
    const declaration = new RegExp(`^export (?:type|interface) ${name}\\b`, 'm');
    const where = files.filter((f) => declaration.test(f.text)).map((f) => f.path);
    expect(where).toHaveLength(1);
    expect(where[0]).toMatch(/^src\/domain\//);
  });

  it('keeps src/domain/ free of imports from the rest of the project', () => {
    const outside = files
      .filter((f) => f.path.startsWith('src/domain/'))
      .flatMap((f) => importsOf(f).filter((to) => !to.startsWith('src/domain/')));
    expect(outside).toEqual([]);
  });

  it('keeps src/services/ free of Discord, so the CLI and any surface can call it', () => {
    const found = files
      .filter((f) => f.path.startsWith('src/services/'))
      .flatMap((f) =>
        importsOf(f)
          .filter((to) => to.startsWith('src/discord') || to.startsWith('commands'))
          .map((to) => `${f.path} → ${to}`),
      );
    expect(found).toEqual([]);
    const discordJs = files.filter(
      (f) => f.path.startsWith('src/services/') && /from 'discord(\.js|-api-types)/.test(f.text),
    );
    expect(discordJs.map((f) => f.path)).toEqual([]);
  });

  it('never imports commands/ from src/', () => {
    const found = files.flatMap((f) =>
      importsOf(f)
        .filter((to) => to.startsWith('commands'))
        .map((to) => `${f.path} → ${to}`),
    );
    expect(found).toEqual([]);
  });

  it('lets no pipeline stage import a later stage or the orchestration', () => {
    const found = files.flatMap((f) => {
      const from = STAGES.indexOf(folderOf(f.path) ?? '');
      if (from < 0) return [];
      return importsOf(f)
        .filter((to) => {
          const folder = folderOf(to);
          if (folder === undefined) return false;
          const stage = STAGES.indexOf(folder);
          return stage > from || ORCHESTRATION.includes(folder);
        })
        .map((to) => `${f.path} → ${to}`);
    });
    expect(found).toEqual([]);
  });
});
