/**
 * A small structured logger: one line per event, fixed keys, levels filtered by LOG_LEVEL.
 * Every line passes the redactor (src/redact.ts) whatever sink it goes to, as everything the
 * process writes to stdout and stderr does again at the output boundary.
 */
import { createRedactor } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** @default 'info' */
  level?: LogLevel;
  /** Lines as JSON objects instead of `text key=value`. @default false */
  json?: boolean;
  /** Where lines go. @default process.stderr */
  write?: (line: string) => void;
  /** Strings that must never appear in a line (token, passwords); passwords in URLs never do. */
  secrets?: string[];
}

function render(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /^[\w./:@-]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const redact = createRedactor(options.secrets ?? []);
  const emit = (lvl: LogLevel, msg: string, fields: LogFields = {}) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const all = { ...bound, ...fields };
    let line: string;
    if (options.json) {
      const plain = Object.fromEntries(
        Object.entries(all).map(([k, v]) => [k, v instanceof Error ? v.message : v]),
      );
      line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...plain });
    } else {
      const kv = Object.entries(all)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${render(v)}`)
        .join(' ');
      line = `${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${msg}${kv ? ` ${kv}` : ''}`;
    }
    write(redact(line));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** A logger that keeps lines in memory, for tests that assert what was logged. */
export function memoryLogger(level: LogLevel = 'debug'): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ level, write: (l) => lines.push(l) }), { lines });
}
