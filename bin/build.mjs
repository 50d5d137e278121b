#!/usr/bin/env node
/**
 * Bundles the TypeScript sources into dist/briefing.js (esbuild, packages left external), so the
 * bot runs as plain JavaScript. Running through tsx instead costs every process a second V8
 * isolate for the loader hooks: about 45 MB resident, a third of the memory budget.
 *
 * `ensureBuilt()` rebuilds only when the bundle is missing or one of its inputs (esbuild's list,
 * kept beside the bundle with each file's modification time) has been changed, touched or
 * removed since, so a checkout never runs stale code and a start that has nothing to rebuild only
 * stats ~200 files. Times are compared for equality, not order: a clock that jumped, or a file
 * restored with an old time, still counts as a change. Outputs are written to temporary
 * names and renamed, so processes starting at once never import a half-written bundle.
 *
 * Code behind a dynamic import (Discord mode, deploy-commands) goes to content-named chunks in
 * dist/chunks/, so console mode never loads discord.js. A rebuild leaves the previous chunks for
 * a day: a bot started from the old bundle may still load them.
 *
 * `ensureBuilt` builds in a child process: the bot that starts afterwards never loads esbuild or
 * holds a build's buffers, so its memory is the same whether or not it had to build first.
 *
 * `node bin/build.mjs [root]` (npm run build, and npm's `prepare` after install) builds
 * unconditionally.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DAY_MS = 86_400_000;
/** Files that change the bundle without being one of its inputs. */
const ALWAYS_CHECKED = ['bin/build.mjs', 'tsconfig.json', 'package.json'];

const paths = (root) => ({
  bundle: join(root, 'dist', 'briefing.js'),
  meta: join(root, 'dist', 'briefing.inputs.json'),
  chunks: join(root, 'dist', 'chunks'),
});

/** Path of an up-to-date bundle of `root` (this project by default), building it first if needed. */
export async function ensureBuilt(root = PROJECT) {
  if (!isFresh(root)) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), root], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (child.status !== 0)
      throw new Error(
        child.stderr.replace(/^build failed: /, '').trim() ||
          `the build exited with ${child.status ?? child.signal}`,
      );
  }
  return paths(root).bundle;
}

export function isFresh(root = PROJECT) {
  const { bundle, meta } = paths(root);
  if (!existsSync(bundle) || !existsSync(meta)) return false;
  let inputs;
  try {
    inputs = Object.entries(JSON.parse(readFileSync(meta, 'utf8')));
  } catch {
    return false;
  }
  return inputs.every(([input, mtimeMs]) => mtimeOf(join(root, input)) === mtimeMs);
}

function mtimeOf(path) {
  return existsSync(path) ? statSync(path).mtimeMs : undefined;
}

export async function build(root = PROJECT) {
  const { bundle, meta, chunks } = paths(root);
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (err) {
    throw new Error(
      `cannot build ${bundle}: esbuild is not installed (${err.message}); run npm ci`,
    );
  }
  const startedAt = Date.now();
  let result;
  try {
    result = esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: { briefing: 'main.ts' },
      outdir: join(root, 'dist'),
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      // Stack traces in logs point at src/, not at the bundle (enabled by bin/briefing.mjs).
      sourcemap: 'linked',
      // Node keeps each loaded map in memory; the sources are in src/ already (1.3 MB of heap).
      sourcesContent: false,
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
  } catch (err) {
    const first = err.errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new Error(`cannot build ${bundle}: ${first?.text ?? err.message}${where}`);
  }
  try {
    mkdirSync(chunks, { recursive: true });
    const temp = `.${process.pid}.tmp`;
    for (const file of result.outputFiles) writeFileSync(file.path + temp, file.contents);
    const inputs = {};
    for (const input of [...Object.keys(result.metafile.inputs), ...ALWAYS_CHECKED]) {
      const mtimeMs = mtimeOf(join(root, input));
      // A file saved while the build ran (or dated in the future) may not be in the bundle as it
      // is now: recorded as unknown, it is rebuilt next time.
      inputs[input] = mtimeMs !== undefined && mtimeMs < startedAt - 1 ? mtimeMs : -1;
    }
    writeFileSync(meta + temp, JSON.stringify(inputs));
    // Chunks first, the entry next, the input list last: a bundle never names a chunk that is not
    // there yet, and a crash in between leaves the previous input list, which no longer matches
    // the sources, so the next start rebuilds.
    for (const file of result.outputFiles)
      if (file.path !== bundle) renameSync(file.path + temp, file.path);
    renameSync(bundle + temp, bundle);
    renameSync(meta + temp, meta);
    removeOldChunks(chunks, new Set(result.outputFiles.map((f) => f.path)));
  } catch (err) {
    throw new Error(
      `cannot write ${join(root, 'dist')}: ${err.message} (run npm run build as the owner of the install)`,
    );
  }
}

function removeOldChunks(dir, current) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!current.has(path) && statSync(path).mtimeMs < Date.now() - DAY_MS)
      rmSync(path, { force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? PROJECT);
  try {
    await build(root);
    process.stdout.write(`built ${paths(root).bundle}\n`);
  } catch (err) {
    process.stderr.write(`build failed: ${err.message}\n`);
    process.exitCode = 1;
  }
}
