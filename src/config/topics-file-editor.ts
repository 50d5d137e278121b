/**
 * Changes one topic of config/topics.yaml in place, for the operator (OWNER_IDS) editing a global
 * topic from Discord. The file stays the operator's: only the changed values' text is replaced
 * (or a missing key inserted under its topic), so comments, folded queries and layout elsewhere
 * are untouched; where that cannot be done (a topic written as a flow map), yaml's Document API
 * re-serialises the file, which keeps comments but not every line break. The new text is
 * validated exactly as a reload would validate it before anything is written, and the write is
 * a rename of a complete temporary file, so the watcher never reads half a file. Edits run one at
 * a time; an operator saving the file by hand at the same moment is the one race left (the last
 * write wins, and the watcher reloads whichever it is).
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, parseDocument, stringify, type YAMLMap } from 'yaml';
import { ConfigError, UserError } from '../errors';
import { KeyedMutex } from '../store/mutex';
import { TopicsFileSchema, type TopicsFile } from '../topics/schema';
import { writeFileAtomically } from './atomic-write';
import { topicsPath } from './catalog';
import { parseYamlText } from './yaml-file';

export interface TopicChange {
  name?: string;
  query?: string;
  minScore?: number;
}

export interface TopicsFileEditor {
  /** Writes the change and returns the whole file as it now is. */
  edit(id: string, change: TopicChange): Promise<TopicsFile>;
}

type Field = keyof TopicChange;

/**
 * The text with each changed field's value replaced or inserted after the topic's last key;
 * undefined when the topic is not a block map.
 */
function spliceChange(text: string, topic: YAMLMap, change: TopicChange): string | undefined {
  if (topic.flow) return undefined;
  const edits: Array<{ at: number; end: number; text: string }> = [];
  const last = topic.items.at(-1)?.value;
  const firstKey = topic.items[0]?.key;
  if (!isScalar(firstKey) || !firstKey.range || !isScalar(last) || !last.range) return undefined;
  const indent = ' '.repeat(firstKey.range[0] - text.lastIndexOf('\n', firstKey.range[0] - 1) - 1);
  for (const [field, value] of Object.entries(change) as Array<[Field, string | number]>) {
    const literal = scalarText(value);
    const pair = topic.items.find((p) => isScalar(p.key) && p.key.value === field);
    if (pair) {
      if (!isScalar(pair.value) || !pair.value.range) return undefined;
      const [start, end] = pair.value.range;
      // A block scalar's range ends after its last line break; a plain one before it.
      edits.push({ at: start, end, text: literal + (text[end - 1] === '\n' ? '\n' : '') });
    } else {
      const at = last.range[2];
      edits.push({
        at,
        end: at,
        text:
          text[at - 1] === '\n'
            ? `${indent}${field}: ${literal}\n`
            : `\n${indent}${field}: ${literal}`,
      });
    }
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at))
    out = out.slice(0, e.at) + e.text + out.slice(e.end);
  return out;
}

/** A value as one line of YAML: plain where it can be, quoted where it must (`@group`, `: `…). */
function scalarText(value: string | number): string {
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  // A line break would make a block scalar that needs the key's indentation: JSON quoting is YAML too.
  return text.includes('\n') ? JSON.stringify(value) : text;
}

export function createTopicsFileEditor(configDir: string): TopicsFileEditor {
  const file = topicsPath(configDir);
  const mutex = new KeyedMutex();

  async function edit(id: string, change: TopicChange): Promise<TopicsFile> {
    const original = await readFile(file, 'utf8');
    const doc = parseDocument(original);
    if (doc.errors.length > 0)
      throw new UserError(`${file} has errors; fix the file first (\`briefing check-config\`).`);
    const topics = doc.get('topics');
    const topic = isSeq(topics)
      ? topics.items.find((t) => isMap(t) && t.get('id') === id)
      : undefined;
    if (!isMap(topic))
      throw new UserError(`\`${id}\` is no longer in ${file}; it may have just been edited there.`);

    const spliced = spliceChange(original, topic, change);
    for (const [field, value] of Object.entries(change)) topic.set(field, value);
    // No folding: a query stays on one line, as the operator would write it.
    const reserialised = () => doc.toString({ lineWidth: 0, flowCollectionPadding: false });
    const expected = JSON.stringify(doc.toJS().topics);
    // The splice is checked against the Document's own edit: any doubt, and the Document writes.
    const text = spliced !== undefined && sameTopics(spliced, expected) ? spliced : reserialised();
    let parsed: TopicsFile;
    try {
      parsed = parseYamlText(text, file, TopicsFileSchema);
    } catch (err) {
      if (err instanceof ConfigError)
        throw new UserError(`That change would make ${file} invalid:\n${err.message}`);
      throw err;
    }
    await writeFileAtomically(file, text);
    return parsed;
  }

  return { edit: (id, change) => mutex.run(file, () => edit(id, change)) };
}

function sameTopics(text: string, expected: string): boolean {
  const doc = parseDocument(text);
  return doc.errors.length === 0 && JSON.stringify(doc.toJS().topics) === expected;
}
