/**
 * The optional HTTP listener (HTTP_PORT): `GET /healthz` and `GET /metrics`, nothing else. It
 * binds to loopback unless HTTP_HOST says otherwise, because the metrics name the bot's feeds'
 * failure reasons and volumes, which are the operator's business.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors';
import type { Logger } from '../log';
import type { HealthReport } from './health';
import { registry } from './metrics';

export interface ObserveServer {
  /** `http://host:port`, with the port actually bound (HTTP_PORT=0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

export interface ObserveServerOptions {
  host: string;
  port: number;
  health: () => Promise<HealthReport>;
  logger: Logger;
}

async function answer(req: IncomingMessage, res: ServerResponse, o: ObserveServerOptions) {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path !== '/healthz' && path !== '/metrics') {
    res
      .writeHead(404, { 'content-type': 'text/plain' })
      .end('not found: try /healthz or /metrics\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET only\n');
    return;
  }
  if (path === '/healthz') {
    const report = await o.health();
    res
      .writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' })
      .end(`${JSON.stringify(report)}\n`);
    return;
  }
  res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
}

export async function startObserveServer(o: ObserveServerOptions): Promise<ObserveServer> {
  const server = createServer((req, res) => {
    answer(req, res, o).catch((err: unknown) => {
      o.logger.error('health/metrics request failed', { path: req.url, error: err });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    // A port already taken (or a host this machine does not have) is the operator's to fix.
    const refused = (err: NodeJS.ErrnoException) =>
      reject(
        new ConfigError(
          [
            {
              file: 'environment',
              path: 'HTTP_PORT',
              message: `cannot listen on ${o.host}:${o.port} (${err.code ?? err.message})`,
            },
          ],
          { cause: err },
        ),
      );
    server.once('error', refused);
    server.listen(o.port, o.host, () => {
      server.off('error', refused);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
