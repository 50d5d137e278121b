/**
 * One family of typed errors. Each has a stable `code` so callers branch on kind, not on text,
 * and a message that names its subject (a file, a URL, a query).
 */
export type ErrorCode = 'config' | 'feed' | 'query' | 'user' | 'store';

export abstract class BriefingError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface ConfigProblem {
  /** File the problem is in, as given to the loader (relative paths stay relative). */
  file: string;
  /** 1-based line, when the problem points at a place in a file. */
  line?: number;
  /** Key path such as `feeds[2].interval`; empty for whole-file problems. */
  path: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return p.path ? `${where} ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** Bad configuration: one error may carry several problems so they are all reported at once. */
export class ConfigError extends BriefingError {
  readonly code = 'config';
  constructor(
    readonly problems: ConfigProblem[],
    options?: { cause?: unknown },
  ) {
    super(problems.map(formatProblem).join('\n'), options);
  }
}

export class FeedError extends BriefingError {
  readonly code = 'feed';
  constructor(
    message: string,
    readonly url: string,
    readonly details: {
      status?: number;
      /** Server-requested wait (Retry-After), in milliseconds. */
      retryAfterMs?: number;
      /** Permanent errors (not a feed, refused URL) are retried slowly; transient ones back off. */
      kind?: 'transient' | 'permanent';
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

/** Characters of a query shown on either side of an error's caret. */
const CARET_CONTEXT = 60;

/** A query that does not parse; `offset` is the 0-based character where it went wrong. */
export class QueryError extends BriefingError {
  readonly code = 'query';
  constructor(
    message: string,
    readonly query: string,
    readonly offset: number,
  ) {
    super(message);
  }

  /**
   * The query with a caret under the offending character, for terminals and Discord code blocks.
   * A long query is shown as the stretch around that character, so the caret stays on screen.
   */
  withCaret(): string {
    const at = Math.max(0, Math.min(this.offset, this.query.length));
    const from = Math.max(0, at - CARET_CONTEXT);
    const to = Math.min(this.query.length, at + CARET_CONTEXT);
    const head = from > 0 ? '…' : '';
    const shown = `${head}${this.query.slice(from, to)}${to < this.query.length ? '…' : ''}`;
    return `${this.message}\n  ${shown}\n  ${' '.repeat(at - from + head.length)}^`;
  }
}

/** Text that is safe to show to a Discord user as is. */
export class UserError extends BriefingError {
  readonly code = 'user';
}

/** The store failed; never to be read as "not found", or the worker would post everything twice. */
export class StoreError extends BriefingError {
  readonly code = 'store';
}
