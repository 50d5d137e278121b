/**
 * Connections for one request hop. Trusted URLs share one agent; an untrusted URL gets an agent
 * whose DNS lookup is pinned to the addresses the SSRF guard checked, so a second lookup cannot
 * lead the connection somewhere else (DNS rebinding).
 */
import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import type { Trust } from '../domain/feed';
import type { ResolvedFetcherOptions } from './fetch-options';
import { checkUrlShape, createUrlGuard, pinnedLookup } from './url-guard';

export interface Hop {
  dispatcher: Dispatcher;
  dispose(): Promise<void>;
}

export interface Hops {
  /** The dispatcher for one hop; for untrusted URLs, one whose connections reach only checked addresses. */
  open(url: URL, trust: Trust, signal?: AbortSignal): Promise<Hop>;
  /** Lets running requests finish, then releases every connection. */
  close(): Promise<void>;
}

export function createHops(o: ResolvedFetcherOptions): Hops {
  const guard = createUrlGuard({
    resolve: o.resolve,
    allowAddresses: o.allowAddresses,
    timeoutMs: o.connectTimeoutMs,
    allowPrivate: o.allowPrivate,
    allowCloudMetadata: o.allowCloudMetadata,
  });
  const agentFor = (lookup?: LookupFunction) =>
    new Agent({
      connect: { timeout: o.connectTimeoutMs, ...(lookup && { lookup }) },
      headersTimeout: o.headersTimeoutMs,
      // undici's body timeout is for silence between chunks; readBody enforces the whole deadline.
      bodyTimeout: o.bodyTimeoutMs,
    });
  const shared = agentFor();
  const sharedHop: Hop = { dispatcher: shared, dispose: async () => {} };
  const pinnedAgents = new Set<Agent>();

  return {
    async open(url, trust, signal) {
      if (trust === 'trusted') {
        // Operator feeds may go anywhere over http(s), but a redirect must not lead to file: or ftp:.
        if (url.protocol !== 'http:' && url.protocol !== 'https:') checkUrlShape(url);
        return sharedHop;
      }
      const pinned = agentFor(pinnedLookup(await guard(url, signal)));
      pinnedAgents.add(pinned);
      return {
        dispatcher: pinned,
        dispose: async () => {
          pinnedAgents.delete(pinned);
          await pinned.destroy();
        },
      };
    },
    async close() {
      // Each pinned agent is destroyed by its own fetch once done; closing it first lets that fetch finish.
      await Promise.all([
        shared.close(),
        ...[...pinnedAgents].map((a) => a.close().catch(() => {})),
      ]);
    },
  };
}
