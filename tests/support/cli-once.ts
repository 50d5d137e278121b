/**
 * Runs `bin/briefing.mjs` once, to its end, as a user runs a command from the repository's root
 * (`query`, `status`, `check-config`…), and answers its exit code and output. The environment is
 * the test's own, without colour and with warnings only unless `env` says otherwise. For a
 * process to kill, watch or restart, see reliability/child-cli.ts.
 */
import { execFile } from 'node:child_process';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runBriefing(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<CliResult> {
  return new Promise((resolve) =>
    execFile(
      'node',
      ['bin/briefing.mjs', ...args],
      { env: { ...process.env, NO_COLOR: '1', LOG_LEVEL: 'warn', ...env }, timeout: timeoutMs },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}
