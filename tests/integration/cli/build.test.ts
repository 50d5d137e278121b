/**
 * bin/build.mjs on a scratch project: the bundle is built when missing, reused while fresh, rebuilt
 * when an input changes or disappears, split at dynamic imports, and a source error is a clear
 * message. Real esbuild, real files.
 */
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build, ensureBuilt, isFresh } from '../../../bin/build.mjs';

let root: string;
let loads = 0;

/** Writes a file dated `ageS` seconds ago: each version gets a time of its own, whatever the clock's grain. */
async function write(path: string, text: string, ageS = 60): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
  const at = new Date(Date.now() - ageS * 1000);
  await utimes(join(root, path), at, at);
}

async function run(bundle: string): Promise<{ main: () => Promise<string> }> {
  return import(`${pathToFileURL(bundle).href}?load=${++loads}`);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'briefing-build-'));
  await write('package.json', '{ "type": "module" }\n');
  await write('tsconfig.json', '{}\n');
  await write('bin/build.mjs', '// stands in for the build script, which the bundle depends on\n');
  await write(
    'main.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is source text for the scratch project
    "import { word } from './src/word';\nexport const main = async (): Promise<string> => `${word} ${(await import('./src/lazy')).lazy}`;\n",
  );
  await write('src/word.ts', "export const word: string = 'first';\n");
  await write('src/lazy.ts', "export const lazy: string = 'chunk';\n");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('bin/build.mjs', () => {
  it('builds a missing bundle, with the dynamic import in its own chunk', async () => {
    expect(isFresh(root)).toBe(false);
    const bundle = await ensureBuilt(root);
    expect(isFresh(root)).toBe(true);
    expect(await (await run(bundle)).main()).toBe('first chunk');
    expect(
      (await readdir(join(root, 'dist', 'chunks'))).some(
        (f) => f.startsWith('lazy-') && f.endsWith('.js'),
      ),
    ).toBe(true);
  });

  it('rebuilds when an input is edited, and only then', async () => {
    const bundle = await ensureBuilt(root);
    await write('src/word.ts', "export const word: string = 'second';\n", 30);
    expect(isFresh(root)).toBe(false);
    await ensureBuilt(root);
    expect(isFresh(root)).toBe(true);
    expect(await (await run(bundle)).main()).toBe('second chunk');
  });

  it('rebuilds when an input is gone', async () => {
    await ensureBuilt(root);
    await write('main.ts', "export const main = async (): Promise<string> => 'alone';\n", 30);
    await rm(join(root, 'src/word.ts'));
    expect(isFresh(root)).toBe(false);
    expect(await (await run(await ensureBuilt(root))).main()).toBe('alone');
  });

  it('rebuilds when package.json changes, or a file is restored with an older time', async () => {
    await ensureBuilt(root);
    await write('package.json', '{ "type": "module", "version": "2.0.0" }\n', 30);
    expect(isFresh(root)).toBe(false);
    await ensureBuilt(root);
    await write('src/word.ts', "export const word: string = 'restored';\n", 3_600);
    expect(isFresh(root)).toBe(false);
  });

  it('rebuilds after a file dated in the future, every time, rather than trust it', async () => {
    await write('src/word.ts', "export const word: string = 'ahead';\n", -600);
    const bundle = await ensureBuilt(root);
    expect(isFresh(root)).toBe(false);
    expect(await (await run(bundle)).main()).toBe('ahead chunk');
  });

  it('reports a source error with its file and line, and keeps the previous bundle', async () => {
    const bundle = await ensureBuilt(root);
    await write('src/word.ts', "export const word: string = 'unterminated;\n", 30);
    await expect(build(root)).rejects.toThrow(/cannot build .*briefing\.js: .*\(src\/word\.ts:1\)/);
    // ensureBuilt builds in a child process and passes its message on.
    await expect(ensureBuilt(root)).rejects.toThrow(
      /^cannot build .*briefing\.js: .*\(src\/word\.ts:1\)$/,
    );
    expect(await (await run(bundle)).main()).toBe('first chunk');
  });
});
