import { readFile, stat } from 'node:fs/promises';
import { writeFileAtomically } from '../config/atomic-write';
import { feedsPath } from '../config/catalog';
import { FeedsFileSchema } from '../config/feeds-file';
import { MAX_OPML_BYTES, parseOpml } from '../config/opml';
import { appendFeeds, planOpmlImport, type ImportPlan } from '../config/opml-merge';
import { parseYamlText } from '../config/yaml-file';
import { ConfigError } from '../errors';
import type { CliContext } from './context';

async function readOpmlFile(file: string): Promise<string> {
  try {
    const { size } = await stat(file);
    if (size > MAX_OPML_BYTES)
      throw new ConfigError([
        { file, path: '', message: `the file is ${size} bytes; the limit is ${MAX_OPML_BYTES}` },
      ]);
    return await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError([{ file, path: '', message: 'cannot read file' }], { cause: err });
  }
}

/** feeds.yaml as text; a config without one starts from an empty list. */
async function readFeedsYaml(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'feeds: []\n';
    throw new ConfigError([{ file, path: '', message: 'cannot read file' }], { cause: err });
  }
}

function report(plan: ImportPlan, dryRun: boolean): string {
  const verb = dryRun ? 'would add' : 'added';
  const lines = [
    `${verb} ${plan.added.length} feed${plan.added.length === 1 ? '' : 's'}, skipped ${plan.skipped.length}${dryRun ? ' (dry run: feeds.yaml unchanged)' : ''}`,
    ...plan.added.map((f) => `  + ${f.id}  ${f.url}`),
    ...plan.skipped.map((s) => `  - ${s.url}  (${s.reason})`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `briefing feeds import FILE.opml [--dry-run]`: merges a reader's subscription list into
 * feeds.yaml, keeping the file's comments and layout. The result is validated as a reload
 * would validate it before it replaces the file.
 */
export async function feedsImport(
  ctx: CliContext,
  opmlFile: string,
  options: { dryRun?: boolean },
): Promise<number> {
  const opml = parseOpml(await readOpmlFile(opmlFile), opmlFile);
  const file = feedsPath(ctx.configDir);
  const text = await readFeedsYaml(file);
  const existing = parseYamlText(text, file, FeedsFileSchema).feeds;
  const plan = planOpmlImport(existing, opml.feeds);
  const dryRun = options.dryRun ?? false;
  if (plan.added.length > 0 && !dryRun) {
    const merged = appendFeeds(text, plan.added);
    parseYamlText(merged, file, FeedsFileSchema);
    await writeFileAtomically(file, merged);
  }
  ctx.out(ctx.json ? `${JSON.stringify({ dryRun, ...plan })}\n` : report(plan, dryRun));
  return 0;
}
