import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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

function quotesBalanced(text: string): boolean {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  // „…“ closes with the same mark that opens “…”, so curly marks are checked as a pair count.
  return count(/«/g) === count(/»/g) && count(/[“”„]/g) % 2 === 0 && count(/"/g) % 2 === 0;
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
  const held = run('held-out.yaml');
  const tuning = run('tuning.yaml');
  const total = held.passed + held.failures.length + tuning.passed + tuning.failures.length;

  it('has at least 150 leads in at least 25 formats, English and Russian', () => {
    const all = [...leads('held-out.yaml'), ...leads('tuning.yaml')];
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(new Set(all.map((l) => l.format)).size).toBeGreaterThanOrEqual(25);
    expect(all.some((l) => /[а-яё]/i.test(l.opens))).toBe(true);
    expect(all.some((l) => /^[\x20-\x7e]+$/.test(l.opens))).toBe(true);
  });

  it(`summarises at least ${REQUIRED_RATE * 100} % of them right, reporting both halves`, () => {
    const rate = (r: Run) => r.passed / (r.passed + r.failures.length);
    const report = [
      `held-out: ${held.passed}/${held.passed + held.failures.length} (${(rate(held) * 100).toFixed(1)} %)`,
      `tuning:   ${tuning.passed}/${tuning.passed + tuning.failures.length} (${(rate(tuning) * 100).toFixed(1)} %)`,
      ...held.failures.map((f) => `held-out ${f}`),
      ...tuning.failures.map((f) => `tuning ${f}`),
    ].join('\n');
    console.log(report);
    expect((held.passed + tuning.passed) / total, report).toBeGreaterThanOrEqual(REQUIRED_RATE);
  });
});
