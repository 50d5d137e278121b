/**
 * bin/build.mjs on a scratch project: the bundle is built when missing, reused while fresh, rebuilt
 * when an input changes or disappears, split at dynamic imports, with dependencies bundled apart
 * from the sources, and a source error is a clear message. Real esbuild, real files.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
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

  it('builds while a file in its chunks is gone between listing and look (another process building at once)', async () => {
    await ensureBuilt(root);
    await write('src/word.ts', "export const word: string = 'again';\n", 30);
    // Listed, but nothing there when looked at: what another build's temporary file is once renamed.
    await symlink(
      join(root, 'dist', 'chunks', 'renamed-away'),
      join(root, 'dist', 'chunks', 'x.js.1.tmp'),
    );
    expect(await (await run(await ensureBuilt(root))).main()).toBe('again chunk');
  });

  it('bundles a dependency minified, in a chunk of its own without a source map', async () => {
    await write('package.json', '{ "type": "module", "dependencies": { "dep": "1.0.0" } }\n');
    await write('node_modules/dep/package.json', '{ "name": "dep", "main": "index.js" }\n');
    // CommonJS that requires one of Node's modules: the bundle must give it a `require`.
    await write(
      'node_modules/dep/index.js',
      "// a comment the bundle leaves out\nexports.joined = require('node:path').join('a', 'dep-marker');\n",
    );
    await write(
      'main.ts',
      "import { joined } from 'dep';\nexport const main = async (): Promise<string> => joined;\n",
    );
    const bundle = await ensureBuilt(root);
    // In a plain node, not the test runner, which provides a `require` of its own.
    const printed = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `console.log(await (await import('${pathToFileURL(bundle)}')).main())`,
      ],
      { encoding: 'utf8' },
    );
    expect(printed).toBe('a/dep-marker\n');
    const dist = join(root, 'dist');
    const outputs = [
      ...(await readdir(join(dist, 'chunks'))).map((f) => join(dist, 'chunks', f)),
      ...(await readdir(join(dist, 'vendor'))).map((f) => join(dist, 'vendor', f)),
    ];
    const withDep: string[] = [];
    for (const file of outputs.filter((f) => f.endsWith('.js')))
      if ((await readFile(file, 'utf8')).includes('dep-marker')) withDep.push(file);
    expect(withDep.length).toBeGreaterThan(0);
    for (const file of withDep) {
      const text = await readFile(file, 'utf8');
      expect(text).not.toContain('a comment the bundle leaves out');
      expect(text).not.toContain('sourceMappingURL');
      expect(outputs).not.toContain(`${file}.map`);
    }
    expect(await readFile(bundle, 'utf8')).toMatch(/sourceMappingURL=briefing\.js\.map\n$/);
    expect(await readFile(`${bundle}.map`, 'utf8')).not.toContain('node_modules');
  });

  it('bundles a package installed twice at one version once, and two versions twice', async () => {
    await write(
      'package.json',
      '{ "type": "module", "dependencies": { "a": "1.0.0", "b": "1.0.0", "c": "1.0.0" } }\n',
    );
    const copies = { a: '1.0.0', b: '1.0.0', c: '2.0.0' };
    for (const [dependent, version] of Object.entries(copies)) {
      await write(`node_modules/${dependent}/package.json`, `{ "name": "${dependent}" }\n`);
      await write(`node_modules/${dependent}/index.js`, "module.exports = require('shared');\n");
      const copy = `node_modules/${dependent}/node_modules/shared`;
      await write(`${copy}/package.json`, `{ "name": "shared", "version": "${version}" }\n`);
      await write(`${copy}/index.js`, `module.exports = { version: '${version}' };\n`);
    }
    await write(
      'main.ts',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: this is source text for the scratch project
      "import a from 'a';\nimport b from 'b';\nimport c from 'c';\nexport const main = async (): Promise<string> => `${a === b} ${a === c} ${c.version}`;\n",
    );
    expect(await (await run(await ensureBuilt(root))).main()).toBe('true false 2.0.0');
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
