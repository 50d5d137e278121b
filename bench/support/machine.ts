/** What a result was measured on, written beside the figures so runs can be compared fairly. */
import { cpus, freemem, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryMB: number;
  freeMemoryMB: number;
  /** 1-minute load average when the run started: a busy shared machine shows here. */
  load1: number;
  date: string;
}

export function machineInfo(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    memoryMB: Math.round(totalmem() / 2 ** 20),
    freeMemoryMB: Math.round(freemem() / 2 ** 20),
    load1: Number(loadavg()[0]!.toFixed(2)),
    date: new Date().toISOString(),
  };
}
