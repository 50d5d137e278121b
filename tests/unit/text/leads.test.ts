import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// quotesBalanced has its own cases in quotes.test.ts; here it only measures the summaries.
import { quotesBalanced } from '../../../src/text/quotes';
import { summarize } from '../../../src/text/summarize';

/** One labelled lead; see tests/fixtures/leads/README.md. */
interface Lead {
  format: string;
  text: string;
  title?: string;
  terms?: string[];
  opens: string;
  lacks?: string[];
}

const MAX_CHARS = 320;
const REQUIRED_RATE = 0.95;

function leads(file: string): Lead[] {
  return parse(readFileSync(new URL(`../../fixtures/leads/${file}`, import.meta.url), 'utf8'));
}

/** Why a summary is wrong for its lead, or undefined when it is right. */
function fault(lead: Lead, summary: string): string | undefined {
  if (!summary.startsWith(lead.opens)) return 'opens wrong';
  const kept = (lead.lacks ?? []).filter((s) => summary.includes(s));
  if (kept.length > 0) return `keeps ${kept.join(', ')}`;
  if (summary.length > MAX_CHARS) return `longer than ${MAX_CHARS}`;
  if (!quotesBalanced(summary)) return 'quotes unbalanced';
  return undefined;
}

interface Run {
  passed: number;
  failures: string[];
}

function run(file: string): Run {
  const failures: string[] = [];
  let passed = 0;
  for (const lead of leads(file)) {
    const summary = summarize(lead.text, { title: lead.title, terms: lead.terms });
    const why = fault(lead, summary);
    if (why === undefined) passed++;
    else
      failures.push(
        `[${lead.format}] ${why}\n    expected: ${lead.opens}…\n    got:      ${summary}`,
      );
  }
  return { passed, failures };
}

describe('summaries of labelled agency leads', () => {
  const sets = {
    'held-out': run('held-out.yaml'),
    tuning: run('tuning.yaml'),
    'fresh (after tuning)': run('fresh.yaml'),
  };

  it('has at least 150 leads in at least 25 formats, English and Russian', () => {
    const all = [...leads('held-out.yaml'), ...leads('tuning.yaml'), ...leads('fresh.yaml')];
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(new Set(all.map((l) => l.format)).size).toBeGreaterThanOrEqual(25);
    expect(all.some((l) => /[а-яё]/i.test(l.opens))).toBe(true);
    expect(all.some((l) => /^[\x20-\x7e]+$/.test(l.opens))).toBe(true);
  });

  it(`summarises at least ${REQUIRED_RATE * 100} % of them right, reporting each set`, () => {
    const runs = Object.entries(sets);
    const count = (r: Run) => r.passed + r.failures.length;
    const report = [
      ...runs.map(
        ([name, r]) =>
          `${`${name}:`.padEnd(22)}${r.passed}/${count(r)} (${((r.passed / count(r)) * 100).toFixed(1)} %)`,
      ),
      ...runs.flatMap(([name, r]) => r.failures.map((f) => `${name} ${f}`)),
    ].join('\n');
    console.log(report);
    const passed = runs.reduce((sum, [, r]) => sum + r.passed, 0);
    const total = runs.reduce((sum, [, r]) => sum + count(r), 0);
    expect(passed / total, report).toBeGreaterThanOrEqual(REQUIRED_RATE);
  });
});
