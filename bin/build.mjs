#!/usr/bin/env node
/**
 * Bundles the TypeScript sources into dist/briefing.js (esbuild), so the bot runs as plain
 * JavaScript. Running through tsx instead costs every process a second V8 isolate for the loader
 * hooks: about 45 MB resident, a third of the memory budget.
 *
 * The dependencies are bundled too, minified: V8 keeps the source text of every module it loads
 * (for functions it compiles lazily), and discord.js, zod and undici ship theirs with comments and
 * whitespace; bundled, the Discord-mode bot holds some 15 MB less. Left external: native addons,
 * esbuild itself, and the store and queue clients (loaded only for their URLs, and sharing keyv
 * and ioredis with one another). Each bundled dependency is also an entry point of its own, not
 * to be imported but so that esbuild's splitting, which groups modules by the entry points that
 * reach them, never puts a dependency's code in a chunk with ours: the chunks of dependencies are
 * minified and get no source map, the chunks of src/ stay readable and keep theirs.
 *
 * `ensureBuilt()` rebuilds only when the bundle is missing or one of its inputs (esbuild's list,
 * kept beside the bundle with each file's modification time) has been changed, touched or
 * removed since, so a checkout never runs stale code (nor an updated dependency's old code) and
 * a start that has nothing to rebuild only stats ~1,500 files (some tens of ms). Times are
 * compared for equality, not order: a clock that jumped, or a file restored with an old time,
 * still counts as a change. Outputs are written to temporary names and renamed, so processes
 * starting at once never import a half-written bundle.
 *
 * Code behind a dynamic import (Discord mode, deploy-commands) goes to content-named chunks in
 * dist/chunks/, so console mode never loads discord.js. A rebuild leaves the previous chunks for
 * a day: a bot started from the old bundle may still load them. The entries in dist/vendor/ are
 * named for their package instead: a bot that loads one only after a rebuild (feedsmith, at the
 * first feed rss-parser cannot read) gets the new build's, which imports only the new chunks.
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

/**
 * Packages never bundled: native code, the build tool, and the store and queue clients with what
 * they share (an ioredis connection is handed to bullmq; keyv's stores import keyv). A bundled
 * package's optional dependencies that are not installed stay imports that fail where the
 * package tries them (discord.js's compression and voice).
 */
const EXTERNAL = [
  'better-sqlite3',
  'esbuild',
  'keyv',
  '@keyv/*',
  'ioredis',
  'bullmq',
  'pg',
  'pg-native',
  'zlib-sync',
  'bufferutil',
  'utf-8-validate',
  '@discordjs/voice',
];
/** Bundled CommonJS calls `require` for Node's own modules, which an ES module must create. */
const REQUIRE =
  "import { createRequire as __briefingRequire } from 'node:module'; const require = __briefingRequire(import.meta.url);";

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
    result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: { briefing: 'main.ts', ...dependencyEntries(root) },
      outdir: join(root, 'dist'),
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: EXTERNAL,
      plugins: [sameVersionOnce(root)],
      banner: { js: REQUIRE },
      // For `node --enable-source-maps`, which maps stack traces to src/ (see bin/briefing.mjs).
      sourcemap: 'linked',
      // The sources are in src/ already.
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
    const temp = `.${process.pid}.tmp`;
    const outputs = dependenciesMinified(result, root, esbuild);
    for (const file of outputs) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path + temp, file.contents);
    }
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
    for (const file of outputs) if (file.path !== bundle) renameSync(file.path + temp, file.path);
    renameSync(bundle + temp, bundle);
    renameSync(meta + temp, meta);
    const current = new Set(outputs.map((f) => f.path));
    removeOldChunks(chunks, current);
    removeOldChunks(join(root, 'dist', 'vendor'), current);
  } catch (err) {
    throw new Error(
      `cannot write ${join(root, 'dist')}: ${err.message} (run npm run build as the owner of the install)`,
    );
  }
}

/** `vendor/<name>` for each dependency in package.json that is bundled (see the top). */
function dependencyEntries(root) {
  const { dependencies = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const external = (name) =>
    EXTERNAL.some((e) => (e.endsWith('/*') ? name.startsWith(e.slice(0, -1)) : name === e));
  return Object.fromEntries(
    Object.keys(dependencies)
      .filter((name) => !external(name))
      .map((name) => [`vendor/${name}`, name]),
  );
}

/**
 * An esbuild plugin that bundles a package installed more than once at one version only once. npm
 * nests a copy under each dependent when the copy at the top is of another version (discord.js and
 * @discordjs/rest each have undici 6 beside the project's undici 7): the same code, which Node
 * would load and keep twice. Imports of any copy go to the first of them in path order.
 */
function sameVersionOnce(root) {
  const byVersion = packageCopies(join(root, 'node_modules'));
  const first = new Map();
  for (const copies of byVersion.values()) {
    const chosen = copies.sort()[0];
    for (const copy of copies) first.set(copy, chosen);
  }
  const again = Symbol('resolved by sameVersionOnce');
  return {
    name: 'same-version-once',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async ({ path, pluginData, ...options }) => {
        if (pluginData === again) return undefined;
        const found = await build.resolve(path, { ...options, pluginData: again });
        if (found.errors.length > 0 || found.external) return undefined;
        const copy = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(found.path)?.[1];
        const chosen = copy && first.get(copy);
        return chosen && chosen !== copy
          ? { path: chosen + found.path.slice(copy.length) }
          : undefined;
      });
    },
  };
}

/** `name@version` → the folders it is installed in, under `dir` (a node_modules) and its nested ones. */
function packageCopies(dir, found = new Map()) {
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const folders = name.startsWith('@')
      ? readdirSync(join(dir, name)).map((scoped) => join(dir, name, scoped))
      : [join(dir, name)];
    for (const folder of folders) {
      try {
        const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
        const key = `${manifest.name}@${manifest.version}`;
        found.set(key, [...(found.get(key) ?? []), folder]);
      } catch {
        // Not a package (no or unreadable package.json): nothing to share.
      }
      packageCopies(join(folder, 'node_modules'), found);
    }
  }
  return found;
}

/**
 * The outputs, with the chunks made only of dependencies minified (whitespace and syntax: names
 * stay as written, for stack traces and error messages) and without a source map (see the top).
 * Our own chunks are left as esbuild wrote them, readable where a stack trace points.
 */
function dependenciesMinified(result, root, esbuild) {
  const dependencyOnly = new Set(
    Object.entries(result.metafile.outputs)
      .filter(([, o]) => Object.keys(o.inputs).every((i) => /(^|\/)node_modules\//.test(i)))
      .map(([path]) => join(root, path)),
  );
  return result.outputFiles.flatMap((file) => {
    if (!dependencyOnly.has(file.path.replace(/\.map$/, ''))) return [file];
    if (file.path.endsWith('.map')) return [];
    const text = file.text.replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '\n');
    const { code } = esbuild.transformSync(text, { minifyWhitespace: true, minifySyntax: true });
    return [{ path: file.path, contents: code }];
  });
}

function removeOldChunks(dir, current) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    // A file listed here may be gone by now: processes started together after a change each
    // build, and another one's temporary file is renamed away between the listing and this look.
    const stat = current.has(path) ? undefined : statSync(path, { throwIfNoEntry: false });
    if (stat && stat.mtimeMs < Date.now() - DAY_MS) rmSync(path, { force: true });
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
