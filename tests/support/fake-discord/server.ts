/**
 * The sockets: one HTTP server on 127.0.0.1 (port 0) serving REST under /api and upgrading
 * /gateway to a WebSocket. Bodies are decoded here (JSON, or multipart with `payload_json` and
 * files as discord.js sends uploads), so routes only ever see parsed values.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { IncomingRest } from './rest-pipeline';
import type { Upload } from './state';
import type { FakeResponse } from './responses';

export interface ServerHandlers {
  rest(incoming: IncomingRest): FakeResponse;
  gateway(socket: WebSocket): void;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export const GATEWAY_PATH = '/gateway';

async function readBody(
  req: IncomingMessage,
): Promise<{ body: unknown; files: string[]; uploads: Upload[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [], uploads: [] };
  if (type.startsWith('multipart/form-data')) {
    // The WHATWG Request parser handles multipart; discord.js puts the JSON in `payload_json`.
    const form = await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    const payload = form.get('payload_json');
    const blobs = [...form.values()].flatMap((v) => (typeof v === 'string' ? [] : [v]));
    const uploads = await Promise.all(
      blobs.map(async (v) => ({ name: v.name, text: await v.text() })),
    );
    return {
      body: typeof payload === 'string' ? JSON.parse(payload) : undefined,
      files: uploads.map((u) => u.name),
      uploads,
    };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [], uploads: [] };
}

function write(res: ServerResponse, answer: FakeResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.body !== undefined) headers['Content-Type'] = 'application/json';
  res.writeHead(answer.status, headers);
  res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
}

export async function startServer(handlers: ServerHandlers): Promise<RunningServer> {
  const wss = new WebSocketServer({ noServer: true });
  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    let parsed: Awaited<ReturnType<typeof readBody>>;
    try {
      parsed = await readBody(req);
    } catch (error) {
      write(res, {
        status: 400,
        body: {
          code: 50109,
          message: `The request body contains invalid JSON. (${String(error)})`,
        },
      });
      return;
    }
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      write(
        res,
        handlers.rest({
          method: req.method ?? 'GET',
          url,
          authorization: req.headers.authorization,
          ...parsed,
        }),
      );
    } catch (error) {
      // A bug in the fake shows up as a 500 naming it, rather than as a hung request.
      write(res, {
        status: 500,
        body: { code: 0, message: `fake Discord failed: ${String(error)}` },
      });
    }
  };
  const server = createServer((req, res) => void respond(req, res));
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== GATEWAY_PATH) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => handlers.gateway(ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
