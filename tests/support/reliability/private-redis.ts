/**
 * A Redis server of the test's own, on a free port, that the test may kill and start again on the
 * same port — never the shared one on 6379 that other tests use. Every write is appended and
 * fsynced (AOF, `appendfsync always`) to the test's folder, so a SIGKILL loses nothing that was
 * acknowledged: the outage tests data surviving the server, as a real deployment's Redis would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILLs the server (no shutdown, no save) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder; resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGSTOPs the server: connections stay open and nothing is answered, as with a hung host. */
  freeze(): void;
  /** SIGCONTs it: it answers again, including what it was sent while frozen. */
  thaw(): void;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Spawns redis-server and resolves once its log says it is ready. */
async function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--dir',
    dir,
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (!log.includes('Ready to accept connections')) return;
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      resolve();
    };
    const onExit = () => reject(new Error(`redis-server on port ${port} exited:\n${log}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

export async function startPrivateRedis(dir: string): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnRedis(port, dir);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const gone = once(running, 'exit');
      running.kill('SIGKILL');
      await gone;
    },
    async start() {
      child ??= await spawnRedis(port, dir);
    },
    freeze() {
      child?.kill('SIGSTOP');
    },
    thaw() {
      child?.kill('SIGCONT');
    },
  };
}
