/**
 * Separate worker processes on one store, as a deployment of several workers runs: each child
 * process opens its own connection and writes the outbox, one archive day and one channel's
 * budget at the same time as the others. Nothing is lost, no place is handed out twice, and the
 * budget is handed out once.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createArchiveRepo, unpackSlot } from '../../../src/store/archive';
import { openStore } from '../../../src/store/kv';
import { createOutboxRepo } from '../../../src/store/outbox';
import {
  POSTGRES_URL,
  REDIS_URL,
  backends,
  reachable,
  servicesRequired,
} from '../../support/stores';

const WRITERS = 3;
const WRITER = join(import.meta.dirname, 'writer-process.ts');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Starts the writers, lets them go together once all are connected; their outputs. */
async function runWriters(url: string, prefix: string): Promise<string[]> {
  const children = Array.from({ length: WRITERS }, (_, w) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, url, prefix, String(w)], {
      cwd: join(import.meta.dirname, '../../..'),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', () => out.includes('ready') && resolve()),
    );
    const exited = once(child, 'exit').then(([code]) => {
      if (code !== 0) throw new Error(`writer ${w} exited with ${code}`);
      return out.slice(out.indexOf('ready') + 'ready'.length).trim();
    });
    return { child, ready, exited };
  });
  await Promise.race([
    Promise.all(children.map((c) => c.ready)),
    Promise.all(children.map((c) => c.exited)),
  ]);
  for (const c of children) c.child.stdin.end('go\n');
  return Promise.all(children.map((c) => c.exited));
}

/** The store's URL for this run (a fresh SQLite file; Redis and PostgreSQL as the suite uses them). */
async function storeUrl(name: string): Promise<string> {
  if (name === 'redis') return REDIS_URL;
  if (name === 'postgres') return POSTGRES_URL;
  const dir = await mkdtemp(join(tmpdir(), 'briefing-processes-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return `sqlite://${join(dir, 'store.sqlite')}`;
}

for (const backend of backends) {
  const available = await reachable(backend);
  describe.skipIf(!available && !servicesRequired)(`writer processes on ${backend.name}`, () => {
    it('three processes writing at once lose no delivery, archived item or budget count', async () => {
      const url = await storeUrl(backend.name);
      const prefix = `test-proc-${process.pid}-${Math.random().toString(36).slice(2)}:`;
      const outputs = await runWriters(url, prefix);
      const granted = outputs.map((o) => (JSON.parse(o) as { granted: number }).granted);
      expect(granted.reduce((a, b) => a + b, 0)).toBe(40);

      const kv = await openStore(url, { prefix });
      cleanups.push(() => kv.close());
      expect(await createOutboxRepo(kv).pending()).toHaveLength(WRITERS * 10);
      const day = '2026-11-11';
      const archive = createArchiveRepo(kv, { retentionMs: 30 * 86_400_000 });
      const [all] = await archive.entries([{ day, index: { kind: 'all' } }]);
      const ords = Array.from(all!, (p) => unpackSlot(p, day).ord).sort((a, b) => a - b);
      expect(ords).toEqual(Array.from({ length: WRITERS * 40 }, (_, i) => i));
      const items = await archive.load(ords.map((ord) => ({ day, ord, ms: 0 })));
      expect(new Set(items.map((a) => a?.item.key)).size).toBe(WRITERS * 40);
    }, 90_000);
  });
}
