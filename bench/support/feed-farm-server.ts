/**
 * The feed farm's process: an HTTP server on loopback that serves any number of generated feeds
 * at `/<set>/<n>.xml`, gzip-compressed, with ETags. Every request for a feed is a poll round for
 * that feed: on the first it answers 200 with 20 items; afterwards one feed in ten (by default)
 * has 20 new items at each round and the others answer 304 to the conditional request
 * (see `changesAt`).
 * Started and driven by feed-farm.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { serveParent } from './child';
import { feedDocument, formatOf } from './feed-doc';
import { CHANGE_EVERY, changesAt, ITEMS_PER_DOC } from './farm-rules';

const seed = Number(process.env.FARM_SEED ?? 1);
const maxHosts = Number(process.env.FARM_HOSTS ?? 1);
const changeEvery = Number(process.env.FARM_CHANGE_EVERY ?? CHANGE_EVERY);
/** Items of version v are published v minutes after this, so each version is newer. */
const epochMs = Date.now() - 3_600_000;

interface FeedState {
  requests: number;
  version: number;
}
const feeds = new Map<string, FeedState>();
const bodies = new Map<string, { version: number; gz: Buffer }>();
const stats = new Map<string, { requests: number; ok: number; notModified: number }>();

function body(set: string, n: number, version: number): Buffer {
  const key = `${set}/${n}`;
  const cached = bodies.get(key);
  if (cached?.version === version) return cached.gz;
  const xml = feedDocument({
    seed,
    feedId: `${set}-${n}`,
    version,
    items: ITEMS_PER_DOC,
    newestMs: epochMs + version * 60_000,
    format: formatOf(n),
  });
  const gz = gzipSync(xml);
  bodies.set(key, { version, gz });
  return gz;
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const m = /^\/([\w-]+)\/(\d+)\.xml$/.exec((req.url ?? '').split('?')[0] ?? '');
  if (!m) return void res.writeHead(404).end();
  const [, set = '', digits = ''] = m;
  const n = Number(digits);
  const key = `${set}/${n}`;
  const feed = feeds.get(key) ?? { requests: 0, version: 0 };
  feeds.set(key, feed);
  if (changesAt(n, feed.requests, changeEvery)) feed.version++;
  feed.requests++;
  const count = stats.get(set) ?? { requests: 0, ok: 0, notModified: 0 };
  stats.set(set, count);
  count.requests++;
  const etag = `"v${feed.version}"`;
  if (req.headers['if-none-match'] === etag) {
    count.notModified++;
    return void res.writeHead(304, { etag }).end();
  }
  count.ok++;
  const gz = body(set, n, feed.version);
  const type = formatOf(n) === 'atom' ? 'application/atom+xml' : 'application/rss+xml';
  res.writeHead(200, {
    etag,
    'content-type': `${type}; charset=utf-8`,
    'content-encoding': 'gzip',
    'content-length': String(gz.length),
  });
  res.end(gz);
}

function listen(host: string): Promise<Server | undefined> {
  const server = createServer(answer);
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(0, host, () => resolve(server));
  });
}

/**
 * Loopback addresses beyond 127.0.0.1 exist on Linux, not on every system: where they do, feeds
 * are spread over several host names as real catalogues are over publishers.
 */
async function listenAll(): Promise<Server[]> {
  const servers: Server[] = [];
  for (let i = 1; i <= maxHosts; i++) {
    const server = await listen(`127.0.0.${i}`);
    if (!server) break;
    servers.push(server);
  }
  if (servers.length === 0) throw new Error('the feed farm could not listen on 127.0.0.1');
  return servers;
}

const servers = await listenAll();

serveParent(
  async (message) => {
    switch (message.type) {
      case 'origins':
        return servers.map(
          (s) =>
            `http://${(s.address() as AddressInfo).address}:${(s.address() as AddressInfo).port}`,
        );
      case 'prepare': {
        // Renders and compresses the documents of the next round ahead, so serving it costs
        // only the socket writes, which keeps the farm's CPU out of the measured round.
        const { set, count } = message as unknown as { set: string; count: number };
        for (let n = 0; n < count; n++) {
          const feed = feeds.get(`${set}/${n}`);
          if (feed && changesAt(n, feed.requests, changeEvery)) body(set, n, feed.version + 1);
        }
        return null;
      }
      case 'stats':
        return stats.get(String(message.set)) ?? { requests: 0, ok: 0, notModified: 0 };
      default:
        throw new Error(`unknown request ${message.type}`);
    }
  },
  async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  },
);
