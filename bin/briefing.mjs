#!/usr/bin/env node
// Runs the CLI from dist/briefing.mjs, the sources bundled to plain JavaScript (bin/build.mjs
// rebuilds it first when a source changed, so a checkout needs no separate build step).
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.mjs';

// `briefing query --json | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

let bundle;
try {
  bundle = await ensureBuilt();
} catch (err) {
  process.stderr.write(`briefing: ${err.message}\n`);
  process.exit(1);
}
// Stack traces point into dist/, whose chunks of our own code are readable. Run with
// `node --enable-source-maps` to have them point at src/: not the default, since Node keeps each
// map decoded once a stack trace has gone through its file (a few MB in a running bot, 14 MB for
// all of them).
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
