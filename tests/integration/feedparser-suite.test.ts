/**
 * feedparser's own test documents as the judge of how well the bot reads entries. Each file in
 * the corpus's `feedparser/tests/` states in its first comment what a correct reader produces
 * (`Expect: not bozo and entries[0]['title'] == u'Example'`); the conjuncts that concern an entry
 * field the bot keeps are evaluated against the items the bot makes of the file, read as
 * production reads a body. Entries with nothing to read yet are judged too: production holds
 * them back until they fill in (normalizeFeed), but what was read of them is still judged. The mapping of feedparser's names to the bot's, and what is out of
 * scope and why, are at the top of tests/support/feedparser-expect/mapping.ts.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusFiles, feedCorpus, readCorpusFile, warnIfSkipped } from '../support/corpus';
import { expectationOf, judge, type Verdict } from '../support/feedparser-expect/judge';

const REQUIRED_RATE = 0.9;

const env = feedCorpus();
const skipped = warnIfSkipped(env, 'feedparser suite test');

type Judged = Extract<Verdict, { kind: 'pass' | 'fail' }> & { file: string };

function report(judged: Judged[], outOfScope: Map<string, number>): string {
  const fields = new Map<string, { pass: number; all: number }>();
  for (const v of judged) {
    const f = fields.get(v.field) ?? { pass: 0, all: 0 };
    f.all++;
    if (v.kind === 'pass') f.pass++;
    fields.set(v.field, f);
  }
  const pct = (pass: number, all: number) => `${((100 * pass) / all).toFixed(1)} %`;
  const rows = [...fields].sort((a, b) => b[1].all - a[1].all);
  const pass = judged.filter((v) => v.kind === 'pass').length;
  const skippedNames = [...outOfScope].sort((a, b) => b[1] - a[1]).slice(0, 12);
  return [
    `${'field'.padEnd(14)}${'passed'.padStart(8)}${'of'.padStart(6)}${'rate'.padStart(9)}`,
    ...rows.map(
      ([name, f]) =>
        `${name.padEnd(14)}${String(f.pass).padStart(8)}${String(f.all).padStart(6)}${pct(f.pass, f.all).padStart(9)}`,
    ),
    `${'all'.padEnd(14)}${String(pass).padStart(8)}${String(judged.length).padStart(6)}${pct(pass, judged.length).padStart(9)}`,
    `not judged (out of scope), most frequent: ${skippedNames.map(([w, n]) => `${w} ×${n}`).join(', ')}`,
  ].join('\n');
}

describe('feedparser test documents', () => {
  it.skipIf(skipped)(
    `agree with the bot's entries on at least ${REQUIRED_RATE * 100} % of the expectations about fields it keeps`,
    async () => {
      if (!env.available || !env.dir) throw new Error(`feed corpus required in CI: ${env.missing}`);
      const root = join(env.dir, 'feedparser', 'tests');
      const judged: Judged[] = [];
      const outOfScope = new Map<string, number>();
      for (const file of corpusFiles(root)) {
        const read = await readCorpusFile(file);
        const expectation = expectationOf(read.text);
        if (!expectation) continue;
        const verdicts =
          read.kind === 'read'
            ? judge(expectation, read.entries)
            : judge(expectation, [], `refused: ${read.message}`);
        for (const v of verdicts) {
          if (v.kind === 'out-of-scope') outOfScope.set(v.what, (outOfScope.get(v.what) ?? 0) + 1);
          else judged.push({ ...v, file: relative(root, file) });
        }
      }
      const failures = judged.filter((v) => v.kind === 'fail');
      console.log(
        `feedparser suite: ${judged.length} expectations about kept entry fields\n${report(judged, outOfScope)}\n` +
          `failures:\n${failures.map((f) => `  ${f.file}: ${f.conjunct}${f.why ? ` (${f.why})` : ''}`).join('\n')}`,
      );
      expect(judged.length, 'expectations judged').toBeGreaterThan(500);
      const rate = (judged.length - failures.length) / judged.length;
      expect(rate, 'share of expectations the bot meets').toBeGreaterThanOrEqual(REQUIRED_RATE);
    },
    120_000,
  );
});
