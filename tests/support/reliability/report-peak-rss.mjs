// Preloaded into a child process (node --import): on exit, writes the process's peak resident
// memory (VmHWM from /proc/self/status, in kB) to the file named by PEAK_RSS_FILE, so a test
// reads the true peak rather than whatever a poll from outside happened to catch.
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (kb && process.env.PEAK_RSS_FILE) writeFileSync(process.env.PEAK_RSS_FILE, kb);
});
