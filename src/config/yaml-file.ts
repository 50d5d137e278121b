import { readFile, stat } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../errors';

/** Config files are small; anything bigger is a mistake or an attack, refused before parsing. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** `feeds[2].interval` from zod's `['feeds', 2, 'interval']`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

function lineOf(
  doc: Document.Parsed,
  counter: LineCounter,
  path: ReadonlyArray<PropertyKey>,
): number | undefined {
  // Walk up the path until a node exists: a missing key points at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * Parses YAML text and validates it with a zod schema; every problem names the file, the line and
 * the key path. Alias bombs are refused by the YAML parser's alias limit.
 */
export function parseYamlText<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): z.infer<S> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({
        file,
        // linePos is only filled with prettyErrors, which would put a code frame in the message.
        line: counter.linePos(e.pos[0]).line,
        path: '',
        message: `invalid YAML: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError([{ file, path: '', message: `refused: ${(err as Error).message}` }]);
  }
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const problems: ConfigProblem[] = result.error.issues.map((issue) => ({
    file,
    line: lineOf(doc, counter, issue.path),
    path: formatPath(issue.path),
    message: issue.message,
  }));
  throw new ConfigError(problems);
}

/** Reads and validates a YAML file; a missing, huge or invalid file is a ConfigError. */
export async function loadYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
): Promise<z.infer<S>> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    throw new ConfigError([{ file, path: '', message: 'cannot read file' }], { cause: err });
  }
  if (size > MAX_CONFIG_BYTES) {
    throw new ConfigError([
      { file, path: '', message: `file is ${size} bytes; the limit is ${MAX_CONFIG_BYTES}` },
    ]);
  }
  return parseYamlText(await readFile(file, 'utf8'), file, schema);
}
