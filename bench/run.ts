/**
 * `npm run bench [-- --quick] [-- --only <name>[,<name>…]]`: runs each section in turn, prints
 * one table per section with its goal lines, and writes bench/results/latest.json with the
 * machine it ran on. Benches measure, they do not judge: a missed goal still exits 0; only a
 * section that crashed (no figures at all) makes the exit code 1.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GOALS } from './support/goals';
import { machineInfo } from './support/machine';
import { goalLine, type Goal } from './support/stats';
import { renderTable } from './support/table';
import type { Bench, BenchSection } from './types';

/** In run order; `module` is relative to this file. */
const SECTIONS = [
  { name: 'pipeline', module: './pipeline' },
  { name: 'matching', module: './matching' },
  { name: 'archive', module: './archive' },
  { name: 'stories', module: './stories' },
  { name: 'poll-cycle', module: './poll-cycle' },
  { name: 'memory', module: './memory' },
  { name: 'scaling', module: './scaling' },
] as const;

type Outcome =
  | ({ name: string; seconds: number; goals: Goal[] } & BenchSection)
  | { name: string; skipped: string }
  | { name: string; error: string };

function options() {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
  });
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only?.filter((n) => !SECTIONS.some((s) => s.name === n)) ?? [];
  if (unknown.length)
    throw new Error(
      `unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`,
    );
  return { quick: values.quick, only };
}

/** The section's `run`, or why there is none (a module another change has not added yet). */
async function load(module: string): Promise<Bench | string> {
  try {
    const mod = (await import(module)) as { run?: Bench };
    return typeof mod.run === 'function' ? mod.run : `${module}.ts has no run export`;
  } catch (err) {
    // Only the section's own file missing means "not there yet"; a missing import inside it is a bug.
    const own = `'${join(import.meta.dirname, module)}'`;
    if (
      (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' &&
      String((err as Error).message).includes(own)
    ) {
      return `bench/${module.slice(2)}.ts does not exist yet`;
    }
    throw err;
  }
}

async function runSection(name: string, module: string, quick: boolean): Promise<Outcome> {
  const started = performance.now();
  try {
    const bench = await load(module);
    if (typeof bench === 'string') {
      console.log(`\n== ${name}: skipped — ${bench}`);
      return { name, skipped: bench };
    }
    const section = await bench({ quick });
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const goals = GOALS[name]?.(section) ?? [];
    console.log(`\n== ${section.title}  [${name}, ${seconds} s]\n`);
    console.log(renderTable(section.rows));
    for (const note of section.notes ?? []) console.log(`  ${note}`);
    for (const goal of goals) console.log(goalLine(goal));
    return { name, seconds, goals, ...section };
  } catch (err) {
    console.log(`\n== ${name}: FAILED — ${(err as Error).stack ?? String(err)}`);
    return { name, error: (err as Error).message ?? String(err) };
  }
}

async function main(): Promise<number> {
  const { quick, only } = options();
  const machine = machineInfo();
  console.log(
    `briefing-bot bench${quick ? ' --quick' : ''}: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load ${machine.load1}`,
  );
  const started = performance.now();
  const outcomes: Outcome[] = [];
  for (const s of SECTIONS) {
    if (only && !only.includes(s.name)) continue;
    outcomes.push(await runSection(s.name, s.module, quick));
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  const dir = join(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'latest.json'),
    `${JSON.stringify({ quick, only, seconds, machine, sections: outcomes }, null, 2)}\n`,
  );
  console.log(
    `\n${outcomes.length} sections in ${seconds} s; results in bench/results/latest.json`,
  );
  return outcomes.some((o) => 'error' in o) ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 2;
}
