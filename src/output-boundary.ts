/**
 * Everything the process writes passes here: every write to stdout and stderr, from our logs, our
 * error messages, our data output, or a library. Two filters run on it: the secrets redactor
 * (src/redact.ts) on everything, and the terminal-escape filter (src/terminal-safe.ts) on what a
 * person reads — stderr always (log lines and errors; JSON log lines escape C0 already), stdout
 * unless it carries `--json` data, which is left exactly as the program wrote it.
 */
import type { Redact } from './redact';
import { terminalSafe } from './terminal-safe';

export interface OutputGuard {
  redact: Redact;
  /** stdout carries JSON data for scripts (`--json`) rather than text for a person. */
  stdoutIsData: boolean;
}

type Filter = (text: string) => string;
type Write = NodeJS.WriteStream['write'];
const originals = new WeakMap<NodeJS.WriteStream, Write>();

/** A string chunk, filtered; bytes are decoded only to be replaced when the filter changes them. */
function filterChunk(chunk: unknown, filter: Filter): unknown {
  if (typeof chunk === 'string') return filter(chunk);
  if (!(chunk instanceof Uint8Array)) return chunk;
  const text = Buffer.from(chunk).toString('utf8');
  const safe = filter(text);
  return safe === text ? chunk : safe;
}

/**
 * Sends every later write to `stream` through `filter`. Calling it again replaces the filter (the
 * stream is wrapped once). Text split across two writes is not joined: the process writes whole
 * lines.
 */
export function filterWrites(stream: NodeJS.WriteStream, filter: Filter): void {
  const original = originals.get(stream) ?? stream.write;
  originals.set(stream, original);
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    (original as (...args: unknown[]) => boolean).call(
      stream,
      filterChunk(chunk, filter),
      ...rest,
    )) as Write;
}

export function guardOutput(
  { redact, stdoutIsData }: OutputGuard,
  streams: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = process,
): void {
  const forPeople: Filter = (text) => terminalSafe(redact(text));
  filterWrites(streams.stdout, stdoutIsData ? redact : forPeople);
  filterWrites(streams.stderr, forPeople);
}
